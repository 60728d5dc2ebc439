package dev.jvswitch.ofproto.syntax;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.group.Bucket;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.group.GroupType;
import dev.jvswitch.ofproto.group.SelectionMethod;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * ovs-ofctl group strings, one producer of {@link GroupMod}s ({@code add-group},
 * {@code mod-group}, {@code del-groups}) and the printer of {@code dump-groups}, both ways:
 * {@code group_id=1,type=select,selection_method=hash,fields(ip_src,tcp_dst),bucket=weight:10,actions=output:2,bucket=weight:20,actions=output:3}.
 *
 * <p>The header ({@code group_id}, {@code type}, {@code selection_method},
 * {@code selection_method_param}, {@code fields(...)}) comes before the first {@code bucket=}. A
 * bucket runs to the next {@code bucket=}: its {@code bucket_id:}, {@code weight:},
 * {@code watch_port:} and {@code watch_group:} (with {@code :} or {@code =}), then
 * {@code actions=} and the actions; as in OVS, an item that is none of these starts the actions
 * even without {@code actions=}. Buckets without {@code bucket_id} are numbered 0, 1, 2, ... in
 * order.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class GroupSyntax {
    private static final String KIND = "group";

    private GroupSyntax() {
    }

    /** An {@code add-group} string. */
    public static GroupMod parseAdd(String text) {
        return GroupMod.add(parse(text));
    }

    /** A {@code mod-group} string: the group that replaces the one with its id. */
    public static GroupMod parseModify(String text) {
        return GroupMod.modify(parse(text));
    }

    /**
     * A {@code del-groups} string: {@code group_id=N}, or {@code group_id=all} or nothing for every
     * group.
     */
    public static GroupMod parseDelete(String text) {
        Source src = new Source(text, KIND);
        long groupId = GroupMod.ALL;
        Map<String, Source.Item> seen = new HashMap<>();
        for (Source.Item item : src.split(0, text.length())) {
            int eq = item.indexOf('=');
            String name = eq < 0 ? item.text() : item.text().substring(0, eq);
            if (!name.equals("group_id")) {
                throw src.fail(SyntaxError.UNKNOWN_FIELD, item.start(), name);
            }
            once(src, seen, name, item);
            String value = eq < 0 ? null : item.text().substring(eq + 1);
            if (value == null || value.isEmpty()) {
                throw src.fail(SyntaxError.MISSING_VALUE, item.start(), name);
            }
            groupId = value.equals("all") ? GroupMod.ALL : number(src, value, item.start() + eq + 1, name, Group.MAX_ID);
        }
        return GroupMod.delete(groupId);
    }

    /** Parses a group string; errors are {@link SyntaxException}s naming token and column. */
    public static Group parse(String text) {
        Source src = new Source(text, KIND);
        List<Source.Item> items = src.split(0, text.length());
        Map<String, Source.Item> seen = new HashMap<>();
        long groupId = -1;
        GroupType type = null;
        SelectionMethod method = SelectionMethod.DEFAULT;
        long basis = 0;
        List<FlowField> fields = new ArrayList<>();
        int i = 0;
        for (; i < items.size() && !items.get(i).text().startsWith("bucket="); i++) {
            Source.Item item = items.get(i);
            String t = item.text();
            if (t.startsWith("fields(") && t.endsWith(")")) {
                once(src, seen, "fields", item);
                fields = fields(src, item);
                continue;
            }
            int eq = t.indexOf('=');
            String name = eq < 0 ? t : t.substring(0, eq);
            String value = eq < 0 ? null : t.substring(eq + 1);
            int valueAt = item.start() + eq + 1;
            if (!name.equals("group_id") && !name.equals("type") && !name.equals("selection_method")
                    && !name.equals("selection_method_param")) {
                throw src.fail(SyntaxError.UNKNOWN_FIELD, item.start(), name);
            }
            once(src, seen, name, item);
            if (value == null || value.isEmpty()) {
                throw src.fail(SyntaxError.MISSING_VALUE, item.start(), name);
            }
            switch (name) {
                case "group_id":
                    groupId = number(src, value, valueAt, name, Group.MAX_ID);
                    break;
                case "type":
                    type = GroupType.find(value);
                    if (type == null) {
                        throw src.fail(SyntaxError.BAD_VALUE, valueAt, value, name, "all, select, indirect or ff");
                    }
                    break;
                case "selection_method":
                    method = SelectionMethod.find(value);
                    if (method == null) {
                        throw src.fail(SyntaxError.BAD_VALUE, valueAt, value, name, "hash or dp_hash");
                    }
                    break;
                default:
                    basis = number(src, value, valueAt, name, -1L);
            }
        }
        if (groupId < 0) {
            throw src.fail(SyntaxError.MISSING, text.length(), "group_id");
        }
        if (type == null) {
            throw src.fail(SyntaxError.MISSING, text.length(), "type");
        }
        List<Bucket> buckets = new ArrayList<>();
        while (i < items.size()) {
            int end = i + 1;
            while (end < items.size() && !items.get(end).text().startsWith("bucket=")) {
                end++;
            }
            buckets.add(bucket(src, items.subList(i, end), buckets.size()));
            i = end;
        }
        try {
            return new Group(groupId, type, method, fields, basis, buckets);
        } catch (IllegalArgumentException e) {
            throw src.fail(SyntaxError.INVALID_GROUP, 0, e.getMessage());
        }
    }

    private static List<FlowField> fields(Source src, Source.Item item) {
        String t = item.text();
        List<FlowField> out = new ArrayList<>();
        int at = item.start() + "fields(".length();
        for (Source.Item f : src.split(at, item.start() + t.length() - 1)) {
            FlowField field = MatchSyntax.fieldNamed(f.text());
            if (field == null) {
                throw src.fail(SyntaxError.UNKNOWN_FIELD, f.start(), f.text());
            }
            out.add(field);
        }
        return out;
    }

    /** One bucket: {@code items.get(0)} starts with {@code bucket=}. */
    private static Bucket bucket(Source src, List<Source.Item> items, int index) {
        List<Source.Item> rest = new ArrayList<>();
        Source.Item first = items.get(0);
        String firstText = first.text().substring("bucket=".length());
        if (!firstText.isEmpty()) {
            rest.add(new Source.Item(firstText, first.start() + "bucket=".length()));
        }
        rest.addAll(items.subList(1, items.size()));
        int bucketId = index;
        int weight = Bucket.DEFAULT_WEIGHT;
        int watchPort = OfPorts.NONE;
        long watchGroup = Bucket.WATCH_NONE;
        Map<String, Source.Item> seen = new HashMap<>();
        List<Source.Item> actionItems = new ArrayList<>();
        boolean hasActions = false;
        for (int i = 0; i < rest.size(); i++) {
            Source.Item item = rest.get(i);
            String t = item.text();
            int sep = firstOf(t, ':', '=');
            String name = sep < 0 ? t : t.substring(0, sep);
            String value = sep < 0 ? null : t.substring(sep + 1);
            int valueAt = item.start() + sep + 1;
            boolean param = name.equals("bucket_id") || name.equals("weight") || name.equals("watch_port")
                    || name.equals("watch_group");
            if (!param) {
                hasActions = true;
                if (name.equals("actions") && t.charAt(sep) == '=') {
                    if (!value.isEmpty()) {
                        actionItems.add(new Source.Item(value, valueAt));
                    }
                } else {
                    actionItems.add(item);
                }
                actionItems.addAll(rest.subList(i + 1, rest.size()));
                break;
            }
            once(src, seen, name, item);
            if (value == null || value.isEmpty()) {
                throw src.fail(SyntaxError.MISSING_VALUE, item.start(), name);
            }
            switch (name) {
                case "bucket_id":
                    bucketId = (int) number(src, value, valueAt, name, Integer.MAX_VALUE);
                    break;
                case "weight":
                    weight = (int) number(src, value, valueAt, name, 65535);
                    break;
                case "watch_port": {
                    int reserved = OfPorts.reserved(value);
                    watchPort = reserved >= 0 ? reserved : (int) number(src, value, valueAt, name, OfPorts.MAX);
                    if (watchPort != OfPorts.NONE && watchPort != OfPorts.LOCAL && !OfPorts.isPhysical(watchPort)) {
                        throw src.fail(SyntaxError.BAD_VALUE, valueAt, value, name, "a port number, LOCAL or NONE");
                    }
                    break;
                }
                default:
                    watchGroup = number(src, value, valueAt, name, Group.MAX_ID);
            }
        }
        if (hasActions && actionItems.isEmpty()) {
            throw src.fail(SyntaxError.MISSING_VALUE, first.start(), "actions");
        }
        List<OfAction> actions = new ActionSyntax(src, null).parse(actionItems);
        return new Bucket(bucketId, weight, watchPort, watchGroup, actions);
    }

    private static int firstOf(String t, char a, char b) {
        int i = t.indexOf(a);
        int j = t.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static void once(Source src, Map<String, Source.Item> seen, String name, Source.Item item) {
        Source.Item before = seen.putIfAbsent(name, item);
        if (before != null) {
            throw src.fail(SyntaxError.CONFLICT, item.start(), item.text(), before.text(), before.start() + 1);
        }
    }

    private static long number(Source src, String value, int at, String name, long max) {
        long n;
        try {
            n = FieldText.number(value, 0, 64);
        } catch (FieldText.Bad bad) {
            if (bad.error == SyntaxError.OUT_OF_RANGE) {
                throw src.fail(SyntaxError.OUT_OF_RANGE, at, value, name, "0.." + Long.toUnsignedString(max));
            }
            throw src.fail(SyntaxError.BAD_VALUE, at, value, name, bad.extra);
        }
        if (max != -1L && Long.compareUnsigned(n, max) > 0) {
            throw src.fail(SyntaxError.OUT_OF_RANGE, at, value, name, "0.." + max);
        }
        return n;
    }

    // ---------------------------------------------------------------- print

    /**
     * The group mod as text its command's parser reads back: the group of an add or modify,
     * {@code group_id=N} (or {@code group_id=all}) for a delete.
     */
    public static String format(GroupMod mod) {
        if (mod.command() == GroupMod.Command.DELETE) {
            return "group_id=" + (mod.isDeleteAll() ? "all" : Long.toString(mod.groupId()));
        }
        return format(mod.group());
    }

    /** The group as {@code ovs-ofctl dump-groups} prints it; {@link #parse} reads it back to an equal group. */
    public static String format(Group g) {
        StringBuilder sb = new StringBuilder();
        sb.append("group_id=").append(g.groupId()).append(",type=").append(g.type().ovsName());
        if (g.selectionMethod() != SelectionMethod.DEFAULT) {
            sb.append(",selection_method=").append(g.selectionMethod().ovsName());
        }
        if (g.selectionBasis() != 0) {
            sb.append(",selection_method_param=").append(Long.toUnsignedString(g.selectionBasis()));
        }
        if (!g.selectionFields().isEmpty()) {
            sb.append(",fields(");
            for (int i = 0; i < g.selectionFields().size(); i++) {
                sb.append(i == 0 ? "" : ",").append(g.selectionFields().get(i).ovsName());
            }
            sb.append(')');
        }
        List<Bucket> buckets = g.buckets();
        boolean sequential = true;
        for (int i = 0; i < buckets.size(); i++) {
            sequential &= buckets.get(i).bucketId() == i;
        }
        for (Bucket b : buckets) {
            sb.append(",bucket=");
            if (!sequential) {
                sb.append("bucket_id:").append(b.bucketId()).append(',');
            }
            if (g.type() == GroupType.SELECT || b.weight() != Bucket.DEFAULT_WEIGHT) {
                sb.append("weight:").append(b.weight()).append(',');
            }
            if (b.watchesPort()) {
                sb.append("watch_port:").append(OfPorts.format(b.watchPort())).append(',');
            }
            if (b.watchesGroup()) {
                sb.append("watch_group:").append(b.watchGroup()).append(',');
            }
            ActionFormat.append(sb.append("actions="), b.actions());
        }
        return sb.toString();
    }
}
