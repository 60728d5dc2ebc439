package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime directories a DPDK process makes under {@code /var/run/dpdk}: noted before it starts,
 * and those it added removed after it stopped (with {@code /var/run/dpdk} itself if it was not
 * there before), so that a benchmark leaves nothing behind.
 *
 * <p><b>Thread-safety:</b> one owner.
 */
final class DpdkRuntimeDirs {
    private static final Path DPDK_RUNTIME = Path.of("/var/run/dpdk");

    private final List<Path> before = new ArrayList<>();
    private final boolean existed;

    private DpdkRuntimeDirs() throws IOException {
        existed = Files.isDirectory(DPDK_RUNTIME);
        if (existed) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(DPDK_RUNTIME)) {
                dirs.forEach(before::add);
            }
        }
    }

    /** What is there now, before a DPDK process starts. */
    static DpdkRuntimeDirs note() throws IOException {
        return new DpdkRuntimeDirs();
    }

    /** Removes what DPDK left under /var/run/dpdk that was not there before; never throws. */
    void removeNew() {
        if (!Files.isDirectory(DPDK_RUNTIME)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(DPDK_RUNTIME)) {
            for (Path d : dirs) {
                if (!before.contains(d)) {
                    Shell.tryRun("rm", "-rf", "--one-file-system", d.toString());
                }
            }
        } catch (IOException e) {
            System.err.println("cleanup: " + DPDK_RUNTIME + ": " + e.getMessage());
        }
        if (!existed) {
            try {
                Files.deleteIfExists(DPDK_RUNTIME);
            } catch (IOException e) {
                // Not empty: someone else's DPDK made something there meanwhile; leave it.
            }
        }
    }
}
