package dev.jvswitch.config.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

import dev.jvswitch.config.ConfigKeys;
import dev.jvswitch.config.OfTarget;
import dev.jvswitch.config.OpenFlowSettings;

/**
 * Reads a bridge's OpenFlow keys into {@link OpenFlowSettings}: {@code controller} and
 * {@code listen} (one target or a list), {@code protocols}, {@code fail-mode},
 * {@code datapath-id}, {@code controller-rate-limit}, {@code controller-burst-limit},
 * {@code inactivity-probe}. Each problem is reported with file, line and key, as the rest of the
 * loader does.
 *
 * <p>Stateless.
 */
final class OpenFlowKeys {
    private OpenFlowKeys() {
    }

    static OpenFlowSettings read(Section b, String fileName) {
        List<OfTarget> controllers = targets(b, "controller", true, fileName);
        List<OfTarget> listeners = targets(b, "listen", false, fileName);
        List<Integer> protocols = protocols(b);
        String mode = b.choice("fail-mode", OpenFlowSettings.DEFAULT_FAIL_MODE.name().toLowerCase(Locale.ROOT),
                ConfigKeys.FAIL_MODES);
        long dpid = datapathId(b);
        int rate = b.integer(ConfigKeys.CONTROLLER_RATE_LIMIT, 0);
        if (rate != 0 && rate < OpenFlowSettings.MIN_RATE_LIMIT) {
            b.error("controller-rate-limit", "must be 0 (no limit) or at least " + OpenFlowSettings.MIN_RATE_LIMIT
                    + " packets per second, got " + rate);
        }
        int burst = b.integer(ConfigKeys.CONTROLLER_BURST_LIMIT, 0);
        if (burst != 0 && burst < OpenFlowSettings.MIN_BURST_LIMIT) {
            b.error("controller-burst-limit", "must be at least " + OpenFlowSettings.MIN_BURST_LIMIT + ", got " + burst);
        }
        if (burst != 0 && rate == 0) {
            b.error("controller-burst-limit", "needs controller-rate-limit");
        }
        int probe = b.integer(ConfigKeys.INACTIVITY_PROBE, OpenFlowSettings.DEFAULT_INACTIVITY_PROBE_MS);
        if (probe != 0 && probe < ConfigKeys.MIN_INACTIVITY_PROBE_MS) {
            b.error("inactivity-probe", "must be 0 (never) or at least " + ConfigKeys.MIN_INACTIVITY_PROBE_MS
                    + " ms, got " + probe);
        }
        return new OpenFlowSettings(controllers, listeners, protocols,
                OpenFlowSettings.FailMode.valueOf(mode.toUpperCase(Locale.ROOT)), dpid, rate, burst, probe);
    }

    private static List<OfTarget> targets(Section b, String key, boolean active, String fileName) {
        List<OfTarget> out = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        for (Item i : items(b, key, active ? "a target like tcp:127.0.0.1:6653" : "a target like ptcp:6653 or punix:PATH")) {
            try {
                OfTarget t = OfTarget.parse(i.text, active, p -> YamlConfigLoader.resolveAbsolute(fileName, p));
                if (!seen.add(t.toString())) {
                    Section.report(i.diag, i.node, i.path, "target " + t + " is given twice");
                    continue;
                }
                out.add(t);
            } catch (IllegalArgumentException e) {
                Section.report(i.diag, i.node, i.path, e.getMessage());
            }
        }
        return out;
    }

    private static List<Integer> protocols(Section b) {
        if (!b.has("protocols")) {
            return OpenFlowSettings.DEFAULT_PROTOCOLS;
        }
        TreeSet<Integer> out = new TreeSet<>();
        for (Item i : items(b, "protocols", "a list of " + String.join(", ", OpenFlowSettings.PROTOCOL_NAMES))) {
            int v = OpenFlowSettings.PROTOCOL_NAMES.indexOf(i.text.trim());
            if (v < 0) {
                Section.report(i.diag, i.node, i.path, "unknown or unsupported protocol '" + i.text + "' (supported: "
                        + String.join(", ", OpenFlowSettings.PROTOCOL_NAMES) + ")");
            } else {
                out.add(v + 4);
            }
        }
        if (out.isEmpty()) {
            b.error("protocols", "names no protocol this switch speaks (supported: "
                    + String.join(", ", OpenFlowSettings.PROTOCOL_NAMES) + ")");
            return OpenFlowSettings.DEFAULT_PROTOCOLS;
        }
        return new ArrayList<>(out);
    }

    private static long datapathId(Section b) {
        String t = b.text("datapath-id", "16 hex digits");
        if (t == null) {
            return OpenFlowSettings.DERIVED_DATAPATH_ID;
        }
        String h = t.trim().startsWith("0x") ? t.trim().substring(2) : t.trim();
        if (!h.matches("[0-9a-fA-F]{16}")) {
            b.error("datapath-id", "expected exactly 16 hex digits, got '" + t + "'");
            return OpenFlowSettings.DERIVED_DATAPATH_ID;
        }
        long v = Long.parseUnsignedLong(h, 16);
        if (v == OpenFlowSettings.DERIVED_DATAPATH_ID) {
            b.error("datapath-id", "ffffffffffffffff is reserved");
        }
        return v;
    }

    /** One scalar of a key that takes a scalar or a list of them. */
    private record Item(String text, Node node, String path, dev.jvswitch.config.Diagnostics diag) {
    }

    private static List<Item> items(Section b, String key, String what) {
        List<Item> out = new ArrayList<>();
        Node v = b.value(key);
        if (v == null || Section.isEmpty(v)) {
            return out;
        }
        if (v instanceof ScalarNode) {
            String t = b.text(key, what);
            if (t != null) {
                out.add(new Item(t, v, b.path(key), b.diag()));
            }
            return out;
        }
        List<Node> nodes = Section.list(v, b.path(key), what, b.diag());
        for (int i = 0; i < nodes.size(); i++) {
            String path = b.path(key) + "[" + i + "]";
            String t = Section.scalar(nodes.get(i), path, what, b.diag());
            if (t != null) {
                out.add(new Item(t, nodes.get(i), path, b.diag()));
            }
        }
        return out;
    }
}
