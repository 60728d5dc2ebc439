package dev.jvswitch.ofproto.trace;

import java.util.List;

import dev.jvswitch.ofproto.xlate.TraceNode;

/**
 * Prints a trace tree with OVS's layout ({@code oftrace_node_print_details}): four spaces per
 * level, one more level for a node that is followed by others or is terminal, details as
 * {@code " -> "}, warnings as {@code " >> "}, errors as {@code " >>>> ... <<<<"}, and each bridge
 * after a blank line and underlined with dashes.
 */
final class TracePrinter {
    private TracePrinter() {
    }

    static void print(StringBuilder out, List<TraceNode> nodes, int level) {
        for (int i = 0; i < nodes.size(); i++) {
            TraceNode n = nodes.get(i);
            if (n.kind() == TraceNode.Kind.BRIDGE) {
                out.append('\n');
            }
            int more = i + 1 < nodes.size() || n.kind().isTerminal() ? 1 : 0;
            indent(out, level + more);
            switch (n.kind()) {
                case DETAIL -> out.append(" -> ").append(n.text()).append('\n');
                case WARN -> out.append(" >> ").append(n.text()).append('\n');
                case ERROR -> out.append(" >>>> ").append(n.text()).append(" <<<<\n");
                case BRIDGE -> {
                    out.append(n.text()).append('\n');
                    indent(out, level + more);
                    out.append("-".repeat(n.text().length())).append('\n');
                }
                default -> out.append(n.text()).append('\n');
            }
            print(out, n.subs(), level + 2 * more);
        }
    }

    private static void indent(StringBuilder out, int level) {
        for (int i = 0; i < level * 4; i++) {
            out.append(' ');
        }
    }
}
