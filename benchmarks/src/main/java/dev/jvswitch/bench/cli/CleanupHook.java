package dev.jvswitch.bench.cli;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What a driver must close if it is stopped by a signal (SIGINT, SIGTERM) midway: the DUT, its
 * namespaces, a generator. The driver says what is open now ({@link #set}); a JVM shutdown hook
 * closes exactly that, and {@link #close()} (the driver's own end) closes it too and removes the
 * hook. Each thing's {@code close} must be idempotent, since both may run.
 *
 * <p><b>Thread-safety:</b> the current set is swapped atomically between the driver and the hook.
 */
public final class CleanupHook implements AutoCloseable {
    private final String name;
    private final AtomicReference<AutoCloseable[]> current = new AtomicReference<>(new AutoCloseable[0]);
    private final Thread hook;

    private CleanupHook(String name) {
        this.name = name;
        this.hook = new Thread(() -> closeAll(current.getAndSet(new AutoCloseable[0])), name + "-cleanup");
    }

    /** Installs a hook for the driver {@code name} (which prefixes cleanup messages). */
    public static CleanupHook install(String name) {
        CleanupHook h = new CleanupHook(name);
        Runtime.getRuntime().addShutdownHook(h.hook);
        return h;
    }

    /** What is open now, closed in this order on a signal. */
    public void set(AutoCloseable... things) {
        current.set(things.clone());
    }

    /** Closes what is open now and removes the hook. */
    @Override
    public void close() {
        closeAll(current.getAndSet(new AutoCloseable[0]));
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Shutting down on a signal: the hook runs.
        }
    }

    private void closeAll(AutoCloseable[] things) {
        for (AutoCloseable c : things) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println(name + ": cleanup: " + e.getMessage());
            }
        }
    }
}
