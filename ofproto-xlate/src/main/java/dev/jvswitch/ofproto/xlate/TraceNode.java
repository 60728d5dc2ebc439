package dev.jvswitch.ofproto.xlate;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of an {@code ofproto/trace} and the lines nested under it (OVS's
 * {@code oftrace_node}). Translation builds the tree only when tracing; the trace package prints
 * it with OVS's indentation.
 *
 * <p><b>Thread-safety:</b> built and read by one thread.
 */
public final class TraceNode {
    /** OVS's node types; terminal ones ({@link #isTerminal}) never have children of their own. */
    public enum Kind {
        BRIDGE, TABLE, THAW, ACTION, DETAIL, WARN, ERROR, BUCKET;

        public boolean isTerminal() {
            return this == ACTION || this == DETAIL || this == WARN || this == ERROR || this == BUCKET;
        }
    }

    private final Kind kind;
    private final String text;
    private final List<TraceNode> subs = new ArrayList<>();

    public TraceNode(Kind kind, String text) {
        this.kind = kind;
        this.text = text;
    }

    public Kind kind() {
        return kind;
    }

    public String text() {
        return text;
    }

    /** The nested nodes, in order; mutable while translation runs. */
    public List<TraceNode> subs() {
        return subs;
    }

    @Override
    public String toString() {
        return kind + " " + text + (subs.isEmpty() ? "" : " " + subs);
    }
}
