package dev.jvswitch.pmd.affinity;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;

/**
 * Pins the calling thread to one CPU with {@code sched_setaffinity(2)} (PMDs pin themselves in
 * {@code onStart}, as OVS's PMD threads do).
 *
 * <p><b>Thread-safety:</b> stateless; each call affects only the calling thread.
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

    /** The CPU the calling thread is running on now. */
    public static int currentCpu() {
        return Holder.LIBC.sched_getcpu();
    }
}
