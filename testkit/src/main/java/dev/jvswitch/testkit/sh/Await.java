package dev.jvswitch.testkit.sh;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waiting for a condition that another thread, process or the kernel makes true: the
 * tests' replacement for a sleep. Fails with what it waited for when the time is up.
 */
public final class Await {
    private static final Duration DEFAULT_POLL = Duration.ofMillis(1);

    private Await() {
    }

    /** Polls {@code condition} every millisecond until it holds or {@code timeout} passed. */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        until(timeout, DEFAULT_POLL, condition, what);
    }

    /**
     * Polls {@code condition} every {@code poll} until it holds or {@code timeout} passed; a
     * longer poll suits conditions that cost something to check (a command run, a file read).
     */
    public static void until(Duration timeout, Duration poll, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what.get());
            }
            LockSupport.parkNanos(poll.toNanos());
        }
    }
}
