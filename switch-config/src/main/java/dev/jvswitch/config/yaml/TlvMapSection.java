package dev.jvswitch.config.yaml;

import java.util.ArrayList;
import java.util.List;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

import dev.jvswitch.config.Diagnostics;
import dev.jvswitch.config.FlowChecker;

/**
 * A bridge's {@code tlv-map}: its Geneve option mappings, as {@code ovs-ofctl add-tlv-map} takes
 * them ({@code "{class=0x102,type=0x80,len=4}->tun_metadata0"}), a list of such strings or one
 * string. Each item is checked alone (an error names its line), then the list as one map (an
 * index or an option mapped twice, the option space: at the key's line). The OpenFlow side
 * checks the syntax ({@link FlowChecker#checkTlvMap}), since this module cannot read it.
 */
final class TlvMapSection {
    static final String KEY = "tlv-map";
    private static final String ONE = "a mapping like \"{class=0x102,type=0x80,len=4}->tun_metadata0\"";

    private TlvMapSection() {
    }

    /** The mappings of bridge section {@code b}, empty without the key or after an error. */
    static List<String> read(Section b, Diagnostics diag, FlowChecker checker) {
        if (!b.has(KEY) || Section.isEmpty(b.value(KEY))) {
            return List.of();
        }
        Node v = b.value(KEY);
        List<Node> items = v instanceof ScalarNode ? List.of(v)
                : Section.list(v, b.path(KEY), "a list of TLV mappings", diag);
        List<String> out = new ArrayList<>();
        int before = diag.count();
        for (Node item : items) {
            String t = Section.scalar(item, b.path(KEY), ONE, diag);
            if (t == null) {
                continue;
            }
            String problem = checker.checkTlvMap(List.of(t.trim()));
            if (problem != null) {
                Section.report(diag, item, b.path(KEY), problem);
            } else {
                out.add(t.trim());
            }
        }
        if (diag.count() > before) {
            return List.of();
        }
        String problem = checker.checkTlvMap(out);
        if (problem != null) {
            b.error(KEY, problem);
            return List.of();
        }
        return out;
    }
}
