package dev.jvswitch.ofproto.match;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.jvswitch.flowcache.key.FlowField;

/**
 * The address fields one OpenFlow table tracks prefixes of (OVS's Flow_Table {@code prefixes}):
 * for each, the table keeps a prefix trie of its rules, so that a lookup unwildcards only the
 * leading bits of the packet's address that tell it apart from rules it did not match, instead of
 * every bit a rule's mask covers.
 *
 * <p>At most {@value #MAX} fields, each an address field that stands alone in the key:
 * {@code nw_src}, {@code nw_dst} (also spelled {@code ip_src}, {@code ip_dst}), {@code ipv6_src},
 * {@code ipv6_dst}, {@code tun_id}, {@code tun_src}, {@code tun_dst}. {@link #DEFAULT} is OVS's
 * default, {@code nw_dst,nw_src}; {@code none} turns tracking off.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class PrefixFields {
    /** Most fields one table tracks (OVS's {@code CLS_MAX_TRIES}). */
    public static final int MAX = 3;
    /** What a table tracks unless told otherwise: {@code nw_dst,nw_src}, as OVS. */
    public static final PrefixFields DEFAULT = new PrefixFields(List.of(FlowField.NW_DST, FlowField.NW_SRC));
    public static final PrefixFields NONE = new PrefixFields(List.of());

    private static final List<FlowField> TRACKABLE = List.of(FlowField.TUN_ID, FlowField.TUN_SRC, FlowField.TUN_DST,
            FlowField.NW_SRC, FlowField.NW_DST, FlowField.IPV6_SRC, FlowField.IPV6_DST);

    private final List<FlowField> fields;

    private PrefixFields(List<FlowField> fields) {
        this.fields = fields;
    }

    /**
     * The fields named (field names as in flow syntax, or the one word {@code none}), in the order
     * OVS asks them: a set, sorted by the names given ({@code [nw_src, nw_dst]} asks
     * {@code nw_dst} first, as OVS does).
     *
     * @throws IllegalArgumentException with a one-line message naming the field: unknown, not an
     *                                  address field, given twice, more than {@value #MAX}, or
     *                                  {@code none} with others
     */
    public static PrefixFields parse(List<String> names) {
        if (names.size() == 1 && names.get(0).trim().equals("none")) {
            return NONE;
        }
        List<FlowField> out = new ArrayList<>(names.size());
        List<String> given = new ArrayList<>(names.size());
        for (String raw : names) {
            String name = raw.trim();
            if (name.equals("none")) {
                throw new IllegalArgumentException("'none' must be the only prefix field");
            }
            FlowField f = FlowField.find(name);
            if (f == null) {
                throw new IllegalArgumentException("unknown field '" + name + "'");
            }
            if (!isTrackable(f)) {
                throw new IllegalArgumentException("field '" + name + "' cannot be prefix-tracked (allowed: "
                        + allowedNames() + ")");
            }
            if (out.contains(f)) {
                throw new IllegalArgumentException("field '" + name + "' is given twice");
            }
            out.add(f);
            given.add(name);
        }
        if (out.size() > MAX) {
            throw new IllegalArgumentException(out.size() + " prefix fields; a table tracks at most " + MAX);
        }
        // OVS's Flow_Table prefixes is a set, which its database hands over sorted by name; the
        // tries are asked in that order, and the first that can skip a subtable decides the bits.
        List<FlowField> sorted = new ArrayList<>(out.size());
        given.stream().sorted().forEach(n -> sorted.add(out.get(given.indexOf(n))));
        return sorted.isEmpty() ? NONE : new PrefixFields(Collections.unmodifiableList(sorted));
    }

    /** The fields given as a list (validated as {@link #parse} does). */
    public static PrefixFields of(FlowField... fields) {
        List<String> names = new ArrayList<>();
        for (FlowField f : fields) {
            names.add(f.ovsName());
        }
        return fields.length == 0 ? NONE : parse(names);
    }

    /** Whether a table can track prefixes of {@code f}. */
    public static boolean isTrackable(FlowField f) {
        return TRACKABLE.contains(f);
    }

    /** The names {@link #parse} accepts, for messages. */
    public static String allowedNames() {
        StringBuilder s = new StringBuilder();
        for (FlowField f : TRACKABLE) {
            s.append(s.length() == 0 ? "" : ", ").append(f.ovsName());
        }
        return s.append(", or none").toString();
    }

    /** The fields, in the order their tries are asked (by the names given, sorted). */
    public List<FlowField> fields() {
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrefixFields && ((PrefixFields) o).fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    /** {@code nw_dst,nw_src}, or {@code none}. */
    @Override
    public String toString() {
        if (fields.isEmpty()) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        for (FlowField f : fields) {
            s.append(s.length() == 0 ? "" : ",").append(f.ovsName());
        }
        return s.toString();
    }
}
