package dev.jvswitch.bench.traffic;

import dev.jvswitch.bench.cli.Threads;
import dev.jvswitch.pmd.affinity.CpuAffinity;

/**
 * The one thread a generator or receiver runs at a time: started pinned to a CPU (or not),
 * asked to stop by a flag its body polls, joined uninterruptibly (the ring it uses must not be
 * closed under it), and what made it fail rethrown on the thread that stops it.
 *
 * <p><b>Thread-safety:</b> {@link #start} and {@link #stop} by the owner's thread; the flag and
 * the failure are volatile (written by one side, read by the other); the join orders everything
 * the body wrote before what the owner reads after {@link #stop}.
 */
final class Worker {
    private final String name;
    private final int cpu;
    private volatile boolean stopRequested;
    private volatile RuntimeException failure;
    private Thread thread;

    /** @param cpu the CPU to pin the thread to, or -1 */
    Worker(String name, int cpu) {
        this.name = name;
        this.cpu = cpu;
    }

    /** Stops the thread still running, if any, then starts {@code body} on a new one. */
    void start(Runnable body) {
        stop();
        stopRequested = false;
        thread = new Thread(() -> {
            try {
                if (cpu >= 0) {
                    CpuAffinity.pinCurrentThread(cpu);
                }
                body.run();
            } catch (RuntimeException e) {
                failure = e;
            }
        }, name);
        thread.start();
    }

    /** For the body: whether it should end. */
    boolean stopRequested() {
        return stopRequested;
    }

    /** Whether a thread started and has not ended. */
    boolean running() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Asks the thread to stop and waits for it; rethrows what made it fail. */
    void stop() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        stopRequested = true;
        Threads.joinUninterruptibly(t);
        thread = null;
        RuntimeException e = failure;
        if (e != null) {
            failure = null;
            throw e;
        }
    }
}
