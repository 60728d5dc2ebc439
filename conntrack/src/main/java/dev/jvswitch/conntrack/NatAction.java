package dev.jvswitch.conntrack;

/**
 * The NAT a connection was committed with (OVS's {@code NAT_ACTION_*}): what its original
 * direction's packets get (source or destination rewritten, with or without the port), and so
 * what its replies get undone.
 */
final class NatAction {
    static final int SRC = 1;
    static final int SRC_PORT = 2;
    static final int DST = 4;
    static final int DST_PORT = 8;

    private NatAction() {
    }

    /** The action as seen by the other direction: SNAT becomes DNAT and back (ports follow). */
    static int reverse(int a) {
        if ((a & SRC) != 0) {
            return DST | ((a & SRC_PORT) != 0 ? DST_PORT : 0);
        }
        if ((a & DST) != 0) {
            return SRC | ((a & DST_PORT) != 0 ? SRC_PORT : 0);
        }
        return a;
    }
}
