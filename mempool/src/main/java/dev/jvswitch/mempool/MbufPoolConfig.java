package dev.jvswitch.mempool;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Shape of one {@link MbufPool}: how many mbufs, how big each is, how many each per-thread cache
 * holds, and where the memory comes from.
 *
 * <p>Defaults follow DPDK's: 2048 bytes of data room behind 128 bytes of headroom (enough for an
 * outer Ethernet + IPv6 + UDP + VXLAN header pushed without a copy), and a per-thread cache of
 * 256 mbufs.
 *
 * <p><b>Frame slots.</b> With {@code frameSlots} each slot is a power of two of at least
 * {@value #MIN_FRAME_SLOT_BYTES} bytes (headroom + data room rounded up; the rest is tailroom), so
 * that the pool's memory can be handed to a device as an array of equal, aligned frames: an
 * AF_XDP UMEM registered over the whole pool, where slot {@code i} is frame {@code i} and a
 * frame's base is its address with the low bits masked off. A slot never crosses a page boundary
 * it does not start on.
 *
 * @param name            shown in leak reports and logs
 * @param mbufCount       number of mbufs carved out of the arena
 * @param dataRoomBytes   bytes of packet data an mbuf holds after its headroom
 * @param headroomBytes   bytes kept free in front of the data for pushed headers
 * @param cacheSize       mbufs a per-thread {@link MbufCache} keeps before it spills to the ring
 * @param hugepageDir     a hugetlbfs mount to back the arena with, or {@code null} for plain
 *                        native memory
 * @param frameSlots      slots are a power of two (see above) instead of a multiple of 64 bytes
 */
public record MbufPoolConfig(
        String name, int mbufCount, int dataRoomBytes, int headroomBytes, int cacheSize, Path hugepageDir,
        boolean frameSlots) {

    public static final int DEFAULT_DATA_ROOM_BYTES = 2048;
    public static final int DEFAULT_HEADROOM_BYTES = 128;
    public static final int DEFAULT_CACHE_SIZE = 256;
    /** Largest slot we accept: jumbo frames up to 9 KiB plus headroom. */
    public static final int MAX_SLOT_BYTES = 16 * 1024;
    /** The smallest frame slot: the smallest AF_XDP frame (chunk) the kernel accepts. */
    public static final int MIN_FRAME_SLOT_BYTES = 2048;
    /** Slots are at least cache-line aligned. */
    static final int SLOT_ALIGNMENT = 64;

    public MbufPoolConfig {
        Objects.requireNonNull(name, "name");
        if (mbufCount < 1) {
            throw new IllegalArgumentException("mempool '" + name + "': mbufs must be at least 1, got " + mbufCount);
        }
        if (dataRoomBytes < 64) {
            throw new IllegalArgumentException(
                    "mempool '" + name + "': mbuf-size must be at least 64 bytes, got " + dataRoomBytes);
        }
        if (headroomBytes < 0) {
            throw new IllegalArgumentException("mempool '" + name + "': headroom must not be negative");
        }
        if ((long) dataRoomBytes + headroomBytes > MAX_SLOT_BYTES) {
            throw new IllegalArgumentException("mempool '" + name + "': mbuf-size + headroom must not exceed "
                    + MAX_SLOT_BYTES + " bytes, got " + ((long) dataRoomBytes + headroomBytes));
        }
        if (cacheSize < 0 || cacheSize > 4096) {
            throw new IllegalArgumentException(
                    "mempool '" + name + "': cache size must be within 0..4096, got " + cacheSize);
        }
    }

    /** A pool of {@code mbufCount} default-sized mbufs in plain native memory. */
    public static MbufPoolConfig of(String name, int mbufCount) {
        return new MbufPoolConfig(name, mbufCount, DEFAULT_DATA_ROOM_BYTES, DEFAULT_HEADROOM_BYTES,
                DEFAULT_CACHE_SIZE, null, false);
    }

    public MbufPoolConfig withCacheSize(int size) {
        return new MbufPoolConfig(name, mbufCount, dataRoomBytes, headroomBytes, size, hugepageDir, frameSlots);
    }

    public MbufPoolConfig withHugepageDir(Path dir) {
        return new MbufPoolConfig(name, mbufCount, dataRoomBytes, headroomBytes, cacheSize, dir, frameSlots);
    }

    public MbufPoolConfig withDataRoom(int dataRoom, int headroom) {
        return new MbufPoolConfig(name, mbufCount, dataRoom, headroom, cacheSize, hugepageDir, frameSlots);
    }

    /** The same pool with power-of-two frame slots (see above). */
    public MbufPoolConfig withFrameSlots() {
        return new MbufPoolConfig(name, mbufCount, dataRoomBytes, headroomBytes, cacheSize, hugepageDir, true);
    }

    /** Bytes from one slot to the next: headroom + data room rounded up to 64, or to a power of two for frame slots. */
    public int slotBytes() {
        int slot = headroomBytes + dataRoomBytes;
        if (frameSlots) {
            return Math.max(MIN_FRAME_SLOT_BYTES, Integer.highestOneBit(slot - 1) << 1);
        }
        return (slot + SLOT_ALIGNMENT - 1) & -SLOT_ALIGNMENT;
    }
}
