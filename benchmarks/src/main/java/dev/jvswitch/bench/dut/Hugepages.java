package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 2 MiB huge pages reserved for one DPDK process and a private hugetlbfs mount for them; both
 * undone by {@link #close()} (the system's page count is put back to what it was, the mount
 * removed), so a run leaves the machine as it found it.
 *
 * <p><b>Thread-safety:</b> one owner; {@link #close()} idempotent and synchronized.
 */
final class Hugepages implements AutoCloseable {
    private static final Path NR = Path.of("/proc/sys/vm/nr_hugepages");
    private static final Pattern FREE = Pattern.compile("HugePages_Free:\\s+(\\d+)");

    private final long previous;
    private final Path mount;
    private boolean mounted;
    private boolean closed;

    private Hugepages(long previous, Path mount) {
        this.previous = previous;
        this.mount = mount;
    }

    /** Adds {@code pages} to the system's reservation and mounts hugetlbfs at {@code mount}. */
    static Hugepages reserve(int pages, Path mount) throws IOException, InterruptedException {
        long before = Long.parseLong(Files.readString(NR).trim());
        Hugepages h = new Hugepages(before, mount);
        try {
            long free = free();
            if (free < pages) {
                Files.writeString(NR, Long.toString(before + pages - free));
            }
            if (free() < pages) {
                throw new IOException("could reserve only " + free() + " of " + pages
                        + " 2 MiB huge pages (memory too fragmented or too small)");
            }
            Files.createDirectories(mount);
            Shell.run("mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "nodev", mount.toString());
            h.mounted = true;
            return h;
        } catch (IOException | InterruptedException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    private static long free() throws IOException {
        Matcher m = FREE.matcher(Files.readString(Path.of("/proc/meminfo")));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (mounted) {
            Shell.tryRun("umount", mount.toString());
        }
        try {
            Files.writeString(NR, Long.toString(previous));
        } catch (IOException e) {
            System.err.println("cleanup: cannot restore " + NR + " to " + previous + ": " + e.getMessage());
        }
    }
}
