package dev.jvswitch.pmd.idle;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * What a PMD thread does between iterations that found no work ({@code pmd-idle}), and what that
 * costs a packet that arrives meanwhile.
 *
 * <ul>
 *   <li><b>busy</b>: spin ({@code Thread.onSpinWait}); a packet waits for nothing but the rest of
 *       the current poll loop; the CPU is 100 % busy whatever the traffic.</li>
 *   <li><b>backoff</b>: after {@value #BACKOFF_SPINS} empty iterations of spinning and
 *       {@value #BACKOFF_YIELDS} of yielding, park for {@link #BACKOFF_MIN_PARK_NS} ns, doubling
 *       up to {@link #BACKOFF_MAX_PARK_NS} ns; any work resets it to spinning. A packet arriving
 *       while the PMD is parked waits for the rest of that park: at most
 *       {@code BACKOFF_MAX_PARK_NS} plus the kernel's timer slack (the PMD asks for
 *       {@link #TIMER_SLACK_NS}, see {@link dev.jvswitch.pmd.affinity.TimerSlack}) plus the time
 *       the scheduler takes to run the woken thread. On an otherwise idle CPU that is about
 *       55 µs at worst and half that on average, on top of the busy figure. The price: an idle
 *       PMD wakes about 12 000 times a second, measured at ~20 % of one CPU on a 2-CPU VM (where
 *       every timer costs a VM exit), against ~2 % with a 1 ms park.</li>
 *   <li><b>sleep</b>: as backoff, and once it found nothing to do for {@link #SLEEP_AFTER_NS}, the
 *       PMD blocks in {@code poll(2)} on its rx queues' descriptors plus an eventfd that a
 *       command's sender writes when the PMD is asleep, for at most {@link #SLEEP_MAX_MS}
 *       ({@link SleepingIdleStrategy}; DPDK's rx-interrupt mode, OVS's non-PMD polling). An idle
 *       PMD then costs ~0 CPU; a frame or a command wakes it at once (the kernel's wake-up of a
 *       blocked thread instead of the rest of a park). A PMD with a queue that has no descriptor
 *       (in-memory ports) backs off as with backoff.</li>
 * </ul>
 *
 * <p>The longest park used to be 1 ms (and the kernel's default 50 µs timer slack came on top),
 * which put a millisecond into the round trip of every packet of light traffic: ping through
 * the switch measured 0.9-1.8 ms p50 with it, 0.09-0.12 ms with 50 µs.
 */
public final class PmdIdleStrategies {
    public static final int BACKOFF_SPINS = 100;
    public static final int BACKOFF_YIELDS = 10;
    public static final long BACKOFF_MIN_PARK_NS = 1_000;
    /** The longest a backing-off PMD sleeps before it polls again: the bound on its extra latency. */
    public static final long BACKOFF_MAX_PARK_NS = 50_000;
    /** Timer slack a PMD thread asks for, so a park ends close to when it was asked to. */
    public static final long TIMER_SLACK_NS = 1_000;

    /** How long a {@code sleep} PMD backs off with nothing to do before it blocks in poll(2). */
    public static final long SLEEP_AFTER_NS = 1_000_000;
    /**
     * The longest a sleeping PMD blocks: frames and commands wake it at once, so this bounds only
     * what nothing announces (a port's new ring after its link came back).
     */
    public static final int SLEEP_MAX_MS = 100;

    private PmdIdleStrategies() {
    }

    /** {@code pmd-idle: busy}. */
    public static IdleStrategy busy() {
        return new BusySpinIdleStrategy();
    }

    /** {@code pmd-idle: backoff}, bounded as described above. */
    public static IdleStrategy backoff() {
        return new BackoffIdleStrategy(BACKOFF_SPINS, BACKOFF_YIELDS, BACKOFF_MIN_PARK_NS, BACKOFF_MAX_PARK_NS);
    }

    /** {@code pmd-idle: sleep}: backoff, then poll(2) through {@code sleeper}. */
    public static IdleStrategy sleep(IdleSleeper sleeper) {
        return new SleepingIdleStrategy(sleeper);
    }
}
