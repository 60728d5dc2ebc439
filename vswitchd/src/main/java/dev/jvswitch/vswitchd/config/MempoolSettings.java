package dev.jvswitch.vswitchd.config;

import java.nio.file.Path;

import dev.jvswitch.mempool.MbufPoolConfig;

/**
 * The {@code mempool} section.
 *
 * @param mbufs         number of mbufs ({@code mbufs})
 * @param mbufSizeBytes data room of each mbuf ({@code mbuf-size}), headroom not counted
 * @param hugepages     back the pool with huge pages ({@code hugepages})
 * @param hugepagePath  the hugetlbfs mount to use ({@code hugepage-path})
 */
public record MempoolSettings(int mbufs, int mbufSizeBytes, boolean hugepages, String hugepagePath) {
    public static final int DEFAULT_MBUFS = 16_384;
    public static final String DEFAULT_HUGEPAGE_PATH = "/dev/hugepages";

    /** The pool to create, named {@code name}. */
    public MbufPoolConfig toPoolConfig(String name) {
        MbufPoolConfig c = MbufPoolConfig.of(name, mbufs)
                .withDataRoom(mbufSizeBytes, MbufPoolConfig.DEFAULT_HEADROOM_BYTES);
        return hugepages ? c.withHugepageDir(Path.of(hugepagePath)) : c;
    }
}
