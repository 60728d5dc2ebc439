package dev.jvswitch.pmd.idle;

import org.agrona.concurrent.IdleStrategy;

/**
 * {@code pmd-idle: sleep}: back off as {@code backoff} does, and once the PMD found nothing to do
 * for {@link PmdIdleStrategies#SLEEP_AFTER_NS}, block in {@code poll(2)} on its queues'
 * descriptors and its command queue's wake-up descriptor ({@link IdleSleeper}) for at most
 * {@link PmdIdleStrategies#SLEEP_MAX_MS}, as DPDK's rx-interrupt mode does. Any work resets it to
 * spinning.
 *
 * <p>A sleep that timed out with nothing to do is followed by another at once; one that something
 * woke (a frame, a command, or an error on a descriptor that brings nothing to read) needs another
 * stretch of idle backoff first, so a descriptor that keeps reporting without delivering costs
 * what backoff costs, not a spin. A refused sleep (a queue with no descriptor: in-memory ports)
 * is tried again after another stretch, so such a PMD simply backs off.
 *
 * <p><b>Thread-safety:</b> one PMD thread's; not shared.
 */
public final class SleepingIdleStrategy implements IdleStrategy {
    private final IdleStrategy backoff = PmdIdleStrategies.backoff();
    private final IdleSleeper sleeper;
    private final int maxSleepMs;
    /** When the current stretch with nothing to do began; {@code Long.MIN_VALUE} while working. */
    private long idleSinceNs = Long.MIN_VALUE;
    private boolean sleptOut;

    public SleepingIdleStrategy(IdleSleeper sleeper) {
        this(sleeper, PmdIdleStrategies.SLEEP_MAX_MS);
    }

    /** With another bound on one sleep (tests make it long, so a wake-up that did not happen shows). */
    public SleepingIdleStrategy(IdleSleeper sleeper, int maxSleepMs) {
        this.sleeper = sleeper;
        this.maxSleepMs = maxSleepMs;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
            return;
        }
        idle();
    }

    @Override
    public void idle() {
        long now = System.nanoTime();
        if (idleSinceNs == Long.MIN_VALUE) {
            idleSinceNs = now;
        } else if (sleptOut || now - idleSinceNs >= PmdIdleStrategies.SLEEP_AFTER_NS) {
            int outcome = sleeper.sleep(maxSleepMs);
            sleptOut = outcome == IdleSleeper.TIMED_OUT;
            if (outcome != IdleSleeper.REFUSED) {
                backoff.reset();
                if (!sleptOut) {
                    idleSinceNs = System.nanoTime();
                }
                return;
            }
            idleSinceNs = now;
        }
        backoff.idle();
    }

    @Override
    public void reset() {
        idleSinceNs = Long.MIN_VALUE;
        sleptOut = false;
        backoff.reset();
    }

    @Override
    public String alias() {
        return "sleep";
    }
}
