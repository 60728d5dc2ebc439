package dev.jvswitch.conntrack;

/**
 * Timeout classes and OVS's default userspace timeout policy, in seconds (OVS's
 * {@code ct_dpif_netdev_tp_def}): what a connection's expiry is set to each time a packet updates it.
 * Each class has the name OVS's {@code CT_Timeout_Policy} rows give it ({@code tcp_syn_sent},
 * {@code udp_first}, ...: OVS's {@code tm_to_ct_dpif_tp} mapping), so a policy reads the same here.
 */
public enum CtTimeouts {
    TCP_FIRST_PACKET(30, "tcp_syn_sent"),
    TCP_OPENING(30, "tcp_syn_recv"),
    TCP_ESTABLISHED(24 * 60 * 60, "tcp_established"),
    TCP_CLOSING(15 * 60, "tcp_fin_wait"),
    TCP_FIN_WAIT(45, "tcp_time_wait"),
    TCP_CLOSED(30, "tcp_close"),
    OTHER_FIRST(60, "udp_first"),
    OTHER_MULTIPLE(60, "udp_single"),
    OTHER_BIDIR(30, "udp_multiple"),
    ICMP_FIRST(60, "icmp_first"),
    ICMP_REPLY(30, "icmp_reply");

    /** Largest timeout a policy may set, in seconds (OVS stores them as 32-bit seconds). */
    public static final int MAX_SECONDS = Integer.MAX_VALUE / 1000;

    private static final CtTimeouts[] ALL = values();

    private final int defaultSeconds;
    private final String key;

    CtTimeouts(int defaultSeconds, String key) {
        this.defaultSeconds = defaultSeconds;
        this.key = key;
    }

    public int defaultSeconds() {
        return defaultSeconds;
    }

    public long defaultMs() {
        return defaultSeconds * 1000L;
    }

    /** OVS's name of this class in a timeout policy ({@code tcp_established}, {@code udp_first}, ...). */
    public String key() {
        return key;
    }

    /** The class OVS's policy key {@code key} names, or null. */
    public static CtTimeouts byKey(String key) {
        for (CtTimeouts t : ALL) {
            if (t.key.equals(key)) {
                return t;
            }
        }
        return null;
    }
}
