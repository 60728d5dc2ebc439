package dev.jvswitch.conntrack;

/** One TCP peer's state, in OVS's {@code CT_DPIF_TCPS_*} order (the order matters: code compares them). */
public final class TcpState {
    public static final int CLOSED = 0;
    public static final int LISTEN = 1;
    public static final int SYN_SENT = 2;
    public static final int SYN_RECV = 3;
    public static final int ESTABLISHED = 4;
    public static final int CLOSE_WAIT = 5;
    public static final int FIN_WAIT_1 = 6;
    public static final int CLOSING = 7;
    public static final int LAST_ACK = 8;
    public static final int FIN_WAIT_2 = 9;
    public static final int TIME_WAIT = 10;

    private static final String[] NAMES = {"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECV", "ESTABLISHED",
        "CLOSE_WAIT", "FIN_WAIT_1", "CLOSING", "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT"};

    private TcpState() {
    }

    public static String name(int state) {
        return state >= 0 && state < NAMES.length ? NAMES[state] : "[" + state + "]";
    }
}
