package dev.jvswitch.pmd.affinity;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;

/**
 * Pins the calling thread to one CPU with {@code sched_setaffinity(2)} (PMDs pin themselves in
 * {@code onStart}, as OVS's PMD threads do), and keeps a process's other threads on a set of CPUs.
 *
 * <p><b>Thread-safety:</b> stateless; {@link #pinCurrentThread} affects only the calling thread,
 * {@link #confineAllThreads} every thread that exists when it runs (and so, by inheritance, the
 * threads they start later).
 */
public final class CpuAffinity {
    /** The libc calls used here. */
    public interface LibC {
        int sched_setaffinity(int pid, long cpusetsize, @In long[] mask);

        int sched_getcpu();
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).failImmediately().load("c");
    }

    private CpuAffinity() {
    }

    /** Number of CPUs this process may run on, as the JVM sees them. */
    public static int availableCpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Pins the calling thread to {@code cpu}.
     *
     * @throws IllegalArgumentException naming the CPU if it does not exist or the kernel refuses
     */
    public static void pinCurrentThread(int cpu) {
        if (cpu < 0 || cpu >= 1024) {
            throw new IllegalArgumentException("cpu " + cpu + " is out of range 0..1023");
        }
        long[] mask = new long[16];
        mask[cpu >>> 6] = 1L << (cpu & 63);
        int rc = Holder.LIBC.sched_setaffinity(0, mask.length * 8L, mask);
        if (rc != 0) {
            throw new IllegalArgumentException("cannot pin thread to cpu " + cpu
                    + ": sched_setaffinity failed (the CPU may not exist or not be allowed for this process)");
        }
    }

    /**
     * Lets every thread of this process run only on {@code cpus}, as OVS-DPDK keeps its non-PMD
     * threads on the lcore; threads started later inherit it from their creator, and a thread may
     * still pin itself elsewhere (a PMD does). A thread that ends meanwhile is skipped.
     *
     * @return how many threads were confined
     * @throws IllegalArgumentException if the set is empty or the kernel refuses it for every thread
     */
    public static int confineAllThreads(BitSet cpus) {
        if (cpus.isEmpty() || cpus.length() > 1024) {
            throw new IllegalArgumentException("cannot confine threads to CPUs " + cpus + ": empty or beyond CPU 1023");
        }
        long[] mask = new long[16];
        long[] words = cpus.toLongArray();
        System.arraycopy(words, 0, mask, 0, words.length);
        int confined = 0;
        int seen = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                int tid;
                try {
                    tid = Integer.parseInt(task.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                seen++;
                if (Holder.LIBC.sched_setaffinity(tid, mask.length * 8L, mask) == 0) {
                    confined++;
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list this process's threads in /proc/self/task: " + e.getMessage());
        }
        if (confined == 0 && seen > 0) {
            throw new IllegalArgumentException("cannot confine threads to CPUs " + cpus + ": sched_setaffinity failed");
        }
        return confined;
    }

    /** The CPU the calling thread is running on now. */
    public static int currentCpu() {
        return Holder.LIBC.sched_getcpu();
    }
}
