package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a DPDK process of a benchmark takes from the machine and gives back: huge pages with a
 * private hugetlbfs mount ({@link Hugepages}), and the runtime directory it makes under
 * {@code /var/run/dpdk} ({@link DpdkRuntimeDirs}). Reserved before the process starts, released
 * after it stopped.
 *
 * <p><b>Thread-safety:</b> one owner; {@link #close()} idempotent.
 */
final class DpdkMemory implements AutoCloseable {
    private DpdkRuntimeDirs runtimeDirs;
    private Hugepages hugepages;

    private DpdkMemory(DpdkRuntimeDirs runtimeDirs) {
        this.runtimeDirs = runtimeDirs;
    }

    /** Notes DPDK's runtime directories, then reserves {@code pages} and mounts them at {@code hugeDir}. */
    static DpdkMemory reserve(int pages, Path hugeDir) throws IOException, InterruptedException {
        DpdkMemory m = new DpdkMemory(DpdkRuntimeDirs.note());
        try {
            m.hugepages = Hugepages.reserve(pages, hugeDir);
            return m;
        } catch (IOException | InterruptedException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Gives the huge pages back and removes what DPDK left under /var/run/dpdk; never throws. */
    @Override
    public synchronized void close() {
        if (hugepages != null) {
            hugepages.close();
            hugepages = null;
        }
        if (runtimeDirs != null) {
            runtimeDirs.removeNew();
            runtimeDirs = null;
        }
    }
}
