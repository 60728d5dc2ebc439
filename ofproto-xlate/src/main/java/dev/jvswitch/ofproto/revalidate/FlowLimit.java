package dev.jvswitch.ofproto.revalidate;

/**
 * The dynamic flow limit, as OVS's leader revalidator computes it after each dump
 * ({@code udpif_revalidator}): a dump that took long means too many flows for the revalidators
 * to keep up with, so the limit drops; a quick dump that could have handled more flows per second
 * than the limit lets it climb back, 1 000 at a time, up to the configured {@code flow-limit}.
 * What follows from the limit each cycle is here too: the emergency {@code max-idle} and the
 * "delete every flow" threshold.
 *
 * <p>One difference from OVS: OVS starts the dynamic limit at {@code min(flow-limit, 10 000)}
 * and lets it climb 1 000 per fast dump; the pool starts it at {@code flow-limit}, which the user
 * chose, so that a benchmark or a restart under load is not throttled for minutes.
 */
public final class FlowLimit {
    /** The dynamic limit never drops below this (unless {@code flow-limit} itself is lower). */
    public static final int FLOOR = 1_000;
    /** How much a fast dump raises the limit. */
    public static final int STEP = 1_000;
    /** {@code max-idle} while the datapath holds more flows than the limit. */
    public static final long EMERGENCY_MAX_IDLE_MS = 100;

    private FlowLimit() {
    }

    /**
     * The next dynamic limit.
     *
     * <ul>
     *   <li>dump over 2 s: divide the limit by the dump's whole seconds;</li>
     *   <li>dump over 1.3 s: take three quarters;</li>
     *   <li>dump under 1 s and {@code flows * 1000 / durationMs} above the limit (the dump went
     *       through flows faster than the limit per second: the datapath is full of flows the
     *       revalidators can afford): add {@value #STEP};</li>
     * </ul>
     * then clamp to {@code [min(FLOOR, ceiling), ceiling]}.
     *
     * @param current    the current dynamic limit
     * @param ceiling    the configured {@code flow-limit}
     * @param durationMs the dump's duration, at least 1
     * @param flows      the number of flows at the start of the dump
     */
    public static int next(int current, int ceiling, long durationMs, long flows) {
        long d = Math.max(1, durationMs);
        long limit = current;
        if (d > 2_000) {
            limit /= d / 1_000;
        } else if (d > 1_300) {
            limit = limit * 3 / 4;
        } else if (d < 1_000 && limit < flows * 1_000 / d) {
            limit += STEP;
        }
        return (int) Math.min(ceiling, Math.max(limit, FLOOR));
    }

    /** The {@code max-idle} to apply this cycle: 100 ms while over the limit. */
    public static long maxIdleMs(long configuredMs, long flows, int limit) {
        return flows > limit ? Math.min(configuredMs, EMERGENCY_MAX_IDLE_MS) : configuredMs;
    }

    /** True when the datapath holds more than twice the limit: every dumped flow goes. */
    public static boolean killAll(long flows, int limit) {
        return flows > 2L * limit;
    }
}
