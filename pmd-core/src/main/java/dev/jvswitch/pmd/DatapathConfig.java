package dev.jvswitch.pmd;

import java.util.Arrays;

/**
 * Datapath tuning, with OVS's key names in the comments. Immutable; a change is a new instance
 * handed to {@link Datapath#reconfigure}.
 *
 * @param pmdCpus            CPUs to run one PMD each on ({@code pmd-cpu-mask}); {@code -1} entries
 *                           mean "do not pin"
 * @param rxqAssign          {@code pmd-rxq-assign}: round-robin or by measured cycles
 * @param idle               {@code pmd-idle}: busy-spin (production), back off (tests, 2-core CI)
 *                           or back off then sleep in poll(2) (demos, small chassis)
 * @param emcInsertInvProb   {@code emc-insert-inv-prob}: insert into the EMC with probability
 *                           1/N; 0 disables the EMC
 * @param smcEnable          {@code smc-enable}
 * @param flowLimit          {@code flow-limit}: most megaflows installed at once
 * @param txFlushIntervalUs  {@code tx-flush-interval}: how long output may wait to fill a batch
 */
public record DatapathConfig(
        int[] pmdCpus,
        RxqAssign rxqAssign,
        Idle idle,
        int emcInsertInvProb,
        boolean smcEnable,
        int flowLimit,
        int txFlushIntervalUs) {

    public enum RxqAssign { ROUNDROBIN, CYCLES }

    public enum Idle { BUSY, BACKOFF, SLEEP }

    /*
     * The defaults of OVS's keys, defined here once: the daemon's config model and the
     * revalidators' flow limit use these constants. (pmd-idle has two on purpose: the daemon
     * spins; defaults() below backs off, for tests and tools.)
     */
    public static final RxqAssign DEFAULT_RXQ_ASSIGN = RxqAssign.ROUNDROBIN;
    public static final int DEFAULT_EMC_INSERT_INV_PROB = 100;
    public static final boolean DEFAULT_SMC_ENABLE = false;
    public static final int DEFAULT_FLOW_LIMIT = 200_000;
    public static final int DEFAULT_TX_FLUSH_INTERVAL_US = 0;

    public DatapathConfig {
        pmdCpus = pmdCpus.clone();
        if (pmdCpus.length == 0) {
            throw new IllegalArgumentException("pmd-cpu-mask: at least one PMD is needed");
        }
        if (emcInsertInvProb < 0) {
            throw new IllegalArgumentException("emc-insert-inv-prob must be 0 or more, got " + emcInsertInvProb);
        }
        if (flowLimit < 1) {
            throw new IllegalArgumentException("flow-limit must be at least 1, got " + flowLimit);
        }
        if (txFlushIntervalUs < 0 || txFlushIntervalUs > 1_000_000) {
            throw new IllegalArgumentException("tx-flush-interval must be within 0..1000000 us, got " + txFlushIntervalUs);
        }
    }

    /** One unpinned PMD, backing off when idle: for tests and tools. */
    public static DatapathConfig defaults() {
        return new DatapathConfig(new int[] {-1}, DEFAULT_RXQ_ASSIGN, Idle.BACKOFF,
                DEFAULT_EMC_INSERT_INV_PROB, DEFAULT_SMC_ENABLE, DEFAULT_FLOW_LIMIT, DEFAULT_TX_FLUSH_INTERVAL_US);
    }

    public int pmdCount() {
        return pmdCpus.length;
    }

    @Override
    public int[] pmdCpus() {
        return pmdCpus.clone();
    }

    public DatapathConfig withPmdCpus(int... cpus) {
        return new DatapathConfig(cpus, rxqAssign, idle, emcInsertInvProb, smcEnable, flowLimit, txFlushIntervalUs);
    }

    public DatapathConfig withIdle(Idle i) {
        return new DatapathConfig(pmdCpus, rxqAssign, i, emcInsertInvProb, smcEnable, flowLimit, txFlushIntervalUs);
    }

    public DatapathConfig withRxqAssign(RxqAssign a) {
        return new DatapathConfig(pmdCpus, a, idle, emcInsertInvProb, smcEnable, flowLimit, txFlushIntervalUs);
    }

    public DatapathConfig withEmcInsertInvProb(int p) {
        return new DatapathConfig(pmdCpus, rxqAssign, idle, p, smcEnable, flowLimit, txFlushIntervalUs);
    }

    public DatapathConfig withSmc(boolean on) {
        return new DatapathConfig(pmdCpus, rxqAssign, idle, emcInsertInvProb, on, flowLimit, txFlushIntervalUs);
    }

    public DatapathConfig withFlowLimit(int limit) {
        return new DatapathConfig(pmdCpus, rxqAssign, idle, emcInsertInvProb, smcEnable, limit, txFlushIntervalUs);
    }

    public DatapathConfig withTxFlushIntervalUs(int us) {
        return new DatapathConfig(pmdCpus, rxqAssign, idle, emcInsertInvProb, smcEnable, flowLimit, us);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatapathConfig c && Arrays.equals(pmdCpus, c.pmdCpus) && rxqAssign == c.rxqAssign
                && idle == c.idle && emcInsertInvProb == c.emcInsertInvProb && smcEnable == c.smcEnable
                && flowLimit == c.flowLimit && txFlushIntervalUs == c.txFlushIntervalUs;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pmdCpus) * 31 + java.util.Objects.hash(rxqAssign, idle, emcInsertInvProb, smcEnable,
                flowLimit, txFlushIntervalUs);
    }

    @Override
    public String toString() {
        return "DatapathConfig[pmd-cpus=" + Arrays.toString(pmdCpus) + ", pmd-rxq-assign=" + rxqAssign
                + ", pmd-idle=" + idle + ", emc-insert-inv-prob=" + emcInsertInvProb + ", smc-enable=" + smcEnable
                + ", flow-limit=" + flowLimit + ", tx-flush-interval=" + txFlushIntervalUs + "]";
    }
}
