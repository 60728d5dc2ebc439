package dev.jvswitch.ofproto.table;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs the per-item work of a bulk table change — what each add of a million-rule replace finds
 * in the old tables and the rule it makes — on the calling thread and a few short-lived workers,
 * in chunks. That work reads only the immutable version the change starts from, so items are
 * independent; the caller then applies the results in item order, alone.
 *
 * <p><b>Rules.</b>
 * <ol>
 *   <li>At most {@link #threads()} threads: the caller and workers started for this call
 *       ({@code ofproto-bulk-N}, daemon threads), which end with it. Below {@link #MIN_PARALLEL}
 *       items, or on one CPU, the caller works alone.</li>
 *   <li>Chunks of {@link #CHUNK} items are handed out in increasing order; a task writes only the
 *       result slots of its own items, and each worker has an index ({@code 0} is the caller) for
 *       state of its own.</li>
 *   <li>A chunk stops at its first failure; once one failed no later chunk starts, but every
 *       earlier one was handed out before it and runs to its end. The failure of the lowest
 *       chunk is rethrown: the one a single thread going through the items in order would have
 *       met first.</li>
 * </ol>
 *
 * <p><b>Thread-safety:</b> stateless. Every write the task makes happens-before
 * {@link #forEachChunk} returns (the workers are joined).
 */
final class BulkWorkers {
    static final int CHUNK = 4096;
    static final int MIN_PARALLEL = 4 * CHUNK;
    static final int MAX_THREADS = 4;

    private static final AtomicInteger IDS = new AtomicInteger();

    private BulkWorkers() {
    }

    /** The work on items {@code [from, to)}, by worker {@code worker} (0: the caller). */
    @FunctionalInterface
    interface Chunk {
        void run(int worker, int from, int to);
    }

    /** Threads a big change uses, the caller included: the CPUs this process may use, at most {@value #MAX_THREADS}. */
    static int threads() {
        return Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Runs {@code task} over {@code [0, n)} on at most {@code maxThreads} threads (worker indices
     * below it), see the class comment.
     */
    static void forEachChunk(int n, int maxThreads, Chunk task) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        int threads = Math.min(Math.min(maxThreads, threads()), chunks);
        if (n < MIN_PARALLEL || threads <= 1) {
            if (n > 0) {
                task.run(0, 0, n);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReferenceArray<Throwable> failed = new AtomicReferenceArray<>(chunks);
        AtomicInteger anyFailed = new AtomicInteger(Integer.MAX_VALUE);
        Thread[] workers = new Thread[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            int worker = w + 1;
            workers[w] = new Thread(() -> loop(worker, n, chunks, next, anyFailed, failed, task),
                    "ofproto-bulk-" + IDS.incrementAndGet());
            workers[w].setDaemon(true);
            workers[w].start();
        }
        loop(0, n, chunks, next, anyFailed, failed, task);
        boolean interrupted = false;
        for (Thread t : workers) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the workers end with their chunks: milliseconds
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (int c = 0; c < chunks; c++) {
            Throwable t = failed.get(c);
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }

    private static void loop(int worker, int n, int chunks, AtomicInteger next, AtomicInteger anyFailed,
            AtomicReferenceArray<Throwable> failed, Chunk task) {
        int c;
        while ((c = next.getAndIncrement()) < chunks && c < anyFailed.get()) {
            int from = c * CHUNK;
            try {
                task.run(worker, from, Math.min(n, from + CHUNK));
            } catch (Throwable e) {
                failed.set(c, e);
                anyFailed.accumulateAndGet(c, Math::min);
            }
        }
    }
}
