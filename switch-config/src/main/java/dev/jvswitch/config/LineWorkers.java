package dev.jvswitch.config;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one piece of work over every line of a long list — checking or parsing the flow lines of a
 * config — on the calling thread and a few short-lived workers, chunk by chunk. A million-line
 * flow file is parsed once per load, and a line costs microseconds: alone, the change thread would
 * take seconds that the machine's other cores can share.
 *
 * <p><b>Rules.</b>
 * <ol>
 *   <li>At most {@link #threads()} threads work: the caller and {@code threads() - 1} workers
 *       started for this call (daemon threads, {@code jvswitchd-lines-N}), which end with it.
 *       Below {@link #MIN_PARALLEL_LINES} lines, or on a single CPU, the caller works alone.</li>
 *   <li>Lines are taken in chunks of {@link #CHUNK_LINES}, each by one thread, in no fixed order:
 *       a task writes its results to slots of its own lines (arrays indexed by line) and the
 *       caller reads them in line order once {@link #forEachChunk} returns, so results and
 *       errors come out as a single thread would give them.</li>
 *   <li>If a chunk throws, no further chunk starts, and the first failure is rethrown to the
 *       caller once every worker has stopped.</li>
 *   <li>If the caller is interrupted while it waits, no further chunk starts; it waits for the
 *       chunks under way (milliseconds), keeps its interrupt status and throws
 *       {@link CancellationException}.</li>
 * </ol>
 *
 * <p><b>Thread-safety:</b> stateless; the task must be safe to run on several threads at once for
 * disjoint ranges. Every write a task makes happens-before {@link #forEachChunk} returns (the
 * workers are joined).
 */
public final class LineWorkers {
    /** Lines per chunk: milliseconds of work, so that threads share the end of a list evenly. */
    public static final int CHUNK_LINES = 2048;
    /** Shorter lists are worked on by the caller alone (a worker costs a thread start). */
    public static final int MIN_PARALLEL_LINES = 2 * CHUNK_LINES;
    /** Most threads one call uses, the caller included. */
    public static final int MAX_THREADS = 4;

    private static final AtomicInteger WORKER_IDS = new AtomicInteger();

    private LineWorkers() {
    }

    /** The work on lines {@code [from, to)}. */
    @FunctionalInterface
    public interface Chunk {
        void run(int from, int to);
    }

    /** Threads a long list gets, the caller included: the CPUs this process may use, at most {@value #MAX_THREADS}. */
    public static int threads() {
        return Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
    }

    /** Runs {@code task} over {@code [0, lines)} in chunks, see the class comment. */
    public static void forEachChunk(int lines, Chunk task) {
        forEachChunk(lines, threads(), task);
    }

    /** As {@link #forEachChunk(int, Chunk)}, with at most {@code threads} threads (the caller included). */
    public static void forEachChunk(int lines, int threads, Chunk task) {
        if (lines <= 0) {
            return;
        }
        int chunks = (lines + CHUNK_LINES - 1) / CHUNK_LINES;
        int n = Math.min(Math.max(1, threads), chunks);
        if (lines < MIN_PARALLEL_LINES || n == 1) {
            task.run(0, lines);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable loop = () -> {
            int c;
            // Only the caller is ever interrupted (a shutdown): it then stops taking chunks too.
            while (failure.get() == null && !Thread.currentThread().isInterrupted()
                    && (c = next.getAndIncrement()) < chunks) {
                int from = c * CHUNK_LINES;
                try {
                    task.run(from, Math.min(lines, from + CHUNK_LINES));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }
        };
        Thread[] workers = new Thread[n - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Thread(loop, "jvswitchd-lines-" + WORKER_IDS.incrementAndGet());
            workers[i].setDaemon(true);
            workers[i].start();
        }
        loop.run();
        boolean interrupted = Thread.currentThread().isInterrupted();
        for (Thread w : workers) {
            while (true) {
                try {
                    w.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    // Stop handing out chunks: the workers end with the ones under way.
                    next.set(chunks);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while working on " + lines + " lines");
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }
}
