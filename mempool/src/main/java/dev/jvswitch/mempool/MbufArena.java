package dev.jvswitch.mempool;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * The one block of off-heap memory a pool carves its mbufs from.
 *
 * <p>Plain mode asks Chronicle Bytes for a fixed-capacity native store. Hugepage mode maps a file
 * created in a hugetlbfs mount (its length rounded up to whole huge pages), unlinks the file at
 * once so nothing is left behind, and hands the mapping to Chronicle Bytes as the store. Either
 * way the arena is one contiguous range starting at a page-aligned {@link #address()} (a device
 * that shares the memory, such as an AF_XDP UMEM, is registered page by page).
 *
 * <p><b>Thread-safety:</b> immutable after construction; {@link #close()} is called once, by the
 * pool's owner, after every user has stopped.
 */
final class MbufArena implements AutoCloseable {
    static final int ALIGNMENT = 4096;
    static final long HUGE_PAGE_BYTES = 2L * 1024 * 1024;

    private final BytesStore<?, ?> store;
    private final long address;
    private final long lengthBytes;
    private final boolean hugepages;

    private MbufArena(BytesStore<?, ?> store, long rawAddress, long lengthBytes, boolean hugepages) {
        this.store = store;
        this.address = (rawAddress + ALIGNMENT - 1) & -ALIGNMENT;
        this.lengthBytes = lengthBytes;
        this.hugepages = hugepages;
    }

    static MbufArena allocate(String name, long lengthBytes, Path hugepageDir) {
        if (hugepageDir == null) {
            long withSlack = lengthBytes + ALIGNMENT;
            BytesStore<?, Void> store = BytesStore.nativeStoreWithFixedCapacity(withSlack);
            store.zeroOut(0, withSlack);
            return new MbufArena(store, store.addressForRead(0), lengthBytes, false);
        }
        return mapHugepages(name, lengthBytes, hugepageDir);
    }

    /** A mapping starts on a huge page, so it needs no slack to be aligned. */
    private static MbufArena mapHugepages(String name, long lengthBytes, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("mempool '" + name + "': hugepage path " + dir + " is not a directory");
        }
        long mapped = (lengthBytes + HUGE_PAGE_BYTES - 1) / HUGE_PAGE_BYTES * HUGE_PAGE_BYTES;
        if (mapped > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("mempool '" + name + "': hugepage arena of " + mapped
                    + " bytes exceeds the 2 GiB a single mapping may have here");
        }
        Path file = dir.resolve("jvswitch-" + name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            MappedByteBuffer mapping = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, mapped);
            BytesStore<?, ?> store = BytesStore.wrap(mapping);
            return new MbufArena(store, store.addressForRead(0), lengthBytes, true);
        } catch (IOException e) {
            throw new UncheckedIOException("mempool '" + name + "': cannot map " + mapped + " bytes of huge pages in "
                    + dir + " (reserve them with /proc/sys/vm/nr_hugepages): " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // The mapping stays valid; a leftover file in hugetlbfs is only untidy.
            }
        }
    }

    long address() {
        return address;
    }

    long lengthBytes() {
        return lengthBytes;
    }

    boolean hugepages() {
        return hugepages;
    }

    @Override
    public void close() {
        store.releaseLast();
    }
}
