package dev.jvswitch.pmd.idle;

/**
 * How a {@link SleepingIdleStrategy} puts its PMD to sleep: block until the PMD has work (a frame
 * on one of its queues, a command in its queue) or a timeout passes.
 *
 * <p><b>Thread-safety:</b> {@link #sleep} runs on the PMD thread only.
 */
public interface IdleSleeper {
    /** {@link #sleep}: the PMD cannot sleep now (a queue that cannot be waited on, a command waiting, stopping). */
    int REFUSED = 0;
    /** {@link #sleep}: the timeout passed with nothing to do. */
    int TIMED_OUT = 1;
    /** {@link #sleep}: something woke the PMD before the timeout. */
    int WOKEN = 2;

    /** Blocks until there is work or {@code timeoutMs} passed; one of the constants above. */
    int sleep(int timeoutMs);
}
