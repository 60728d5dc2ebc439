package dev.jvswitch.conntrack;

/**
 * Timeout classes and OVS's default userspace timeout policy, in seconds (OVS's
 * {@code ct_dpif_netdev_tp_def}): what a connection's expiry is set to each time a packet updates it.
 */
public enum CtTimeouts {
    TCP_FIRST_PACKET(30),
    TCP_OPENING(30),
    TCP_ESTABLISHED(24 * 60 * 60),
    TCP_CLOSING(15 * 60),
    TCP_FIN_WAIT(45),
    TCP_CLOSED(30),
    OTHER_FIRST(60),
    OTHER_MULTIPLE(60),
    OTHER_BIDIR(30),
    ICMP_FIRST(60),
    ICMP_REPLY(30);

    private final int defaultSeconds;

    CtTimeouts(int defaultSeconds) {
        this.defaultSeconds = defaultSeconds;
    }

    public int defaultSeconds() {
        return defaultSeconds;
    }

    public long defaultMs() {
        return defaultSeconds * 1000L;
    }
}
