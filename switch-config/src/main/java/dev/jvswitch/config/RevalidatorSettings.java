package dev.jvswitch.config;

/**
 * What the revalidators run by: the revalidators' snapshot, which the daemon maps onto ofproto's
 * {@code RevalidatorConfig}. Read from the {@code datapath} section (OVS keeps these keys in
 * {@code Open_vSwitch other_config} beside the datapath's).
 *
 * <p>Defaults, each defined once: {@code n-revalidator-threads} by {@link #defaultThreads} (the
 * daemon's rule), {@code max-idle} by ofproto ({@link OfprotoDefaults#maxIdleMs}),
 * {@code flow-limit} by the datapath ({@code DatapathConfig.DEFAULT_FLOW_LIMIT}: the same key and
 * value the datapath's snapshot carries, since upcalls stop installing at the limit too).
 *
 * <p>Immutable.
 *
 * @param threads   {@code n-revalidator-threads}; cannot change while the daemon runs
 * @param maxIdleMs {@code max-idle}: megaflows unused this long are deleted
 * @param flowLimit {@code flow-limit}: the ceiling of the dynamic flow limit
 */
public record RevalidatorSettings(int threads, int maxIdleMs, int flowLimit) {
    /** Most threads {@link #defaultThreads} picks, however many CPUs there are. */
    public static final int MAX_DEFAULT_THREADS = 16;

    /**
     * The daemon's default number of revalidators for {@code cpus} CPUs: OVS's rule, a quarter
     * of them plus one, at most {@value #MAX_DEFAULT_THREADS}. (ofproto's own
     * {@code RevalidatorConfig.defaultThreads}, which tools use, stops at 8.)
     */
    public static int defaultThreads(int cpus) {
        return Math.min(MAX_DEFAULT_THREADS, cpus / 4 + 1);
    }
}
