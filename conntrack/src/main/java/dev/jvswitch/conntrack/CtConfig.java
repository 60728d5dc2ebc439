package dev.jvswitch.conntrack;

/**
 * The tunables of a connection tracker: {@code ct-maxconns} (OVS's default 3 000 000), TCP
 * sequence checking (on by default) and the default timeout policy.
 *
 * <p><b>Thread-safety:</b> the fields are volatile: written by the control thread
 * ({@code dpctl/ct-set-maxconns}, {@code ct-enable/disable-tcp-seq-chk}), read by PMDs. A PMD may
 * apply the old value to a packet racing with the change, as in OVS.
 */
public final class CtConfig {
    /** OVS's default {@code ct-maxconns}. */
    public static final int DEFAULT_MAX_CONNS = 3_000_000;

    private volatile int maxConns = DEFAULT_MAX_CONNS;
    private volatile boolean tcpSeqChk = true;
    private final long[] timeoutMs = new long[CtTimeouts.values().length];

    public CtConfig() {
        for (CtTimeouts t : CtTimeouts.values()) {
            timeoutMs[t.ordinal()] = t.defaultMs();
        }
    }

    public int maxConns() {
        return maxConns;
    }

    public void maxConns(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxconns must not be negative: " + n);
        }
        maxConns = n;
    }

    public boolean tcpSeqChk() {
        return tcpSeqChk;
    }

    public void tcpSeqChk(boolean on) {
        tcpSeqChk = on;
    }

    public long timeoutMs(CtTimeouts t) {
        return timeoutMs[t.ordinal()];
    }

    /** Sets one timeout of the default policy (applies from the next packet of each connection). */
    public void timeoutSeconds(CtTimeouts t, int seconds) {
        if (seconds <= 0) {
            throw new IllegalArgumentException("timeout " + t + " must be positive: " + seconds);
        }
        timeoutMs[t.ordinal()] = seconds * 1000L;
    }
}
