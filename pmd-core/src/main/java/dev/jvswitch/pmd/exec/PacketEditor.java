package dev.jvswitch.pmd.exec;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.mempool.Mbuf;

/**
 * Applies the header edits of the start of a datapath action program to one packet, and nothing
 * else: {@code set} (with its checksum fix-ups), {@code push_vlan} and {@code pop_vlan} among the
 * program's first instructions, the way {@link ActionExecutor} would have applied them by then.
 * Outputs, hashes, recirculations, tunnel pushes and clones (whose edits stay inside them) are
 * skipped. The slow path uses it to give a controller the packet as the actions before
 * {@code output:CONTROLLER} made it, as OVS's packet-in does.
 *
 * <p>The mbuf must carry the parser's header offsets (a copy made with {@link Mbuf#copyOf} does).
 *
 * <p><b>Thread-safety:</b> one owner (it holds the rewriter's scratch state).
 */
public final class PacketEditor {
    private final FieldRewriter rewriter = new FieldRewriter();

    /**
     * {@code packet} as the edits among instructions {@code 0..upTo-1} of {@code p}, then those of
     * {@code then} (null: none), leave it: {@code packet} itself when they edit nothing, else a
     * copy from its pool that the caller frees, or null when no copy could be made (no free mbuf,
     * or an edit failed).
     */
    public Mbuf editedCopy(Mbuf packet, DpActions p, int upTo, DpActions then) {
        int n = Math.min(upTo, p.length());
        if (!hasEdits(p, n) && (then == null || !hasEdits(then, then.length()))) {
            return packet;
        }
        Mbuf copy = packet.pool().get();
        if (copy == null) {
            return null;
        }
        if (!copy.copyOf(packet) || !apply(copy, p, n) || (then != null && !apply(copy, then, then.length()))) {
            copy.pool().put(copy);
            return null;
        }
        return copy;
    }

    private static boolean hasEdits(DpActions p, int n) {
        for (int i = 0; i < n; i++) {
            byte op = p.op(i);
            if (op == DpActions.OP_SET_FIELD || op == DpActions.OP_PUSH_VLAN || op == DpActions.OP_POP_VLAN) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies the edits among instructions {@code 0..upTo-1} of {@code p} to {@code m}.
     *
     * @return false if an edit could not be made (no headroom for a tag, a malformed frame); the
     *         packet is then as far as it got
     */
    public boolean apply(Mbuf m, DpActions p, int upTo) {
        int n = Math.min(upTo, p.length());
        for (int i = 0; i < n; i++) {
            switch (p.op(i)) {
                case DpActions.OP_SET_FIELD -> rewriter.set(m, p.field(i), p.b(i), p.c(i));
                case DpActions.OP_PUSH_VLAN -> {
                    if (VlanTagger.push(m, p.a(i), (int) p.b(i) & ~DpActions.VLAN_CFI) != null) {
                        return false;
                    }
                }
                case DpActions.OP_POP_VLAN -> VlanTagger.pop(m);
                default -> {
                    // not an edit of this packet
                }
            }
        }
        return true;
    }
}
