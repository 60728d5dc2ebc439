package dev.jvswitch.config;

import java.nio.file.Path;

import dev.jvswitch.mempool.MbufPoolConfig;

/**
 * The {@code mempool} section: the pool's own snapshot ({@link MbufPoolConfig}, named
 * {@value #POOL_NAME}), plus the hugetlbfs path as written, which the pool keeps only when huge
 * pages are on but a reload message names either way.
 *
 * <p>Defaults: {@code mbufs} {@value #DEFAULT_MBUFS} and {@code hugepage-path}
 * {@value #DEFAULT_HUGEPAGE_PATH} (the daemon's; the pool has none), {@code mbuf-size} the
 * pool's ({@code MbufPoolConfig.DEFAULT_DATA_ROOM_BYTES}), huge pages off. Every setting needs a
 * restart. Immutable.
 *
 * @param pool         the pool to create
 * @param hugepagePath {@code hugepage-path}, also when {@code hugepages} is off
 */
public record MempoolSettings(MbufPoolConfig pool, String hugepagePath) {
    public static final String POOL_NAME = "jvswitch";
    public static final int DEFAULT_MBUFS = 16_384;
    public static final String DEFAULT_HUGEPAGE_PATH = "/dev/hugepages";

    /**
     * The section's values as one snapshot.
     *
     * @param mbufs         {@code mbufs}
     * @param mbufSizeBytes {@code mbuf-size}: data room, headroom not counted
     * @param hugepages     {@code hugepages}: back the pool with huge pages from {@code hugepagePath}
     */
    public static MempoolSettings of(int mbufs, int mbufSizeBytes, boolean hugepages, String hugepagePath) {
        MbufPoolConfig c = MbufPoolConfig.of(POOL_NAME, mbufs)
                .withDataRoom(mbufSizeBytes, MbufPoolConfig.DEFAULT_HEADROOM_BYTES);
        return new MempoolSettings(hugepages ? c.withHugepageDir(Path.of(hugepagePath)) : c, hugepagePath);
    }

    /** {@code mbufs}. */
    public int mbufs() {
        return pool.mbufCount();
    }

    /** {@code mbuf-size}. */
    public int mbufSizeBytes() {
        return pool.dataRoomBytes();
    }

    /** {@code hugepages}. */
    public boolean hugepages() {
        return pool.hugepageDir() != null;
    }
}
