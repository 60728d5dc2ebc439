package dev.jvswitch.bench.cli;

/**
 * How the tools wait for the threads they start (forwarders, generators): to the end, whatever
 * interrupts the wait, because the ports such a thread uses must not be closed under it.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class Threads {
    private Threads() {
    }

    /** Waits until {@code t} has ended, even when interrupted (the interrupt is re-asserted after). */
    public static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
