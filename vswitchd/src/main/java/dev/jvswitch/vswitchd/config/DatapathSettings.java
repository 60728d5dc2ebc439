package dev.jvswitch.vswitchd.config;

import java.util.List;

import dev.jvswitch.pmd.DatapathConfig;

/**
 * The {@code datapath} section, with OVS's key names and units, defaults applied and the PMD CPU
 * list resolved.
 *
 * @param pmdCpus            CPUs with one PMD each, ascending ({@code pmd-cpu-mask}; absent: the
 *                           last CPU this process may use)
 * @param rxqAssign          {@code pmd-rxq-assign}
 * @param idle               {@code pmd-idle}
 * @param emcInsertInvProb   {@code emc-insert-inv-prob}
 * @param smcEnable          {@code smc-enable}
 * @param flowLimit          {@code flow-limit}
 * @param maxIdleMs          {@code max-idle}, milliseconds
 * @param revalidatorThreads {@code n-revalidator-threads}
 * @param txFlushIntervalUs  {@code tx-flush-interval}, microseconds
 * @param macTableSize       {@code mac-table-size}
 * @param macAgingSec        {@code mac-aging-time}, seconds
 */
public record DatapathSettings(
        List<Integer> pmdCpus,
        DatapathConfig.RxqAssign rxqAssign,
        DatapathConfig.Idle idle,
        int emcInsertInvProb,
        boolean smcEnable,
        int flowLimit,
        int maxIdleMs,
        int revalidatorThreads,
        int txFlushIntervalUs,
        int macTableSize,
        int macAgingSec) {

    public static final int DEFAULT_MAX_IDLE_MS = 10_000;
    public static final int DEFAULT_MAC_TABLE_SIZE = 2048;
    public static final int DEFAULT_MAC_AGING_SEC = 300;

    public DatapathSettings {
        pmdCpus = List.copyOf(pmdCpus);
    }

    /** The datapath's own tuning. */
    public DatapathConfig toDatapathConfig() {
        int[] cpus = new int[pmdCpus.size()];
        for (int i = 0; i < cpus.length; i++) {
            cpus[i] = pmdCpus.get(i);
        }
        return new DatapathConfig(cpus, rxqAssign, idle, emcInsertInvProb, smcEnable, flowLimit, txFlushIntervalUs);
    }

    /** Index of the PMD on {@code cpu}, or -1. */
    public int pmdIndexOfCpu(int cpu) {
        return pmdCpus.indexOf(cpu);
    }

    /** OVS's default number of revalidators for {@code cpus} CPUs: a quarter of them plus one. */
    public static int defaultRevalidators(int cpus) {
        return Math.min(16, cpus / 4 + 1);
    }
}
