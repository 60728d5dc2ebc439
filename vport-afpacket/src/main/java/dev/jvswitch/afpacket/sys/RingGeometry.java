package dev.jvswitch.afpacket.sys;

import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;

/**
 * Sizes of one mmapped ring, from the port options {@code block-size}, {@code block-count} and
 * {@code frame-size}. Every rx queue and every tx queue of a port gets a ring of this shape.
 *
 * <p>Receive (TPACKET_V3) packs frames of any length into a block, so {@code frame-size} only
 * has to satisfy the kernel's checks there and the largest frame a block takes is {@code
 * block-size} less its headers. Transmit (TPACKET_V2) gives each frame a fixed slot of {@code
 * frame-size} bytes, 32 of which are the slot's header, so that bounds the largest frame sent.
 *
 * @param blockSizeBytes multiple of 4096 (the page size)
 * @param blockCount     blocks in the ring, at least 2 so the kernel can fill one while we read another
 * @param frameSizeBytes multiple of 16, at most {@code blockSizeBytes}
 */
public record RingGeometry(int blockSizeBytes, int blockCount, int frameSizeBytes) {
    public static final int DEFAULT_BLOCK_SIZE = 1 << 16;
    public static final int DEFAULT_BLOCK_COUNT = 64;
    public static final int DEFAULT_FRAME_SIZE = 2048;
    public static final int PAGE_SIZE = 4096;
    /** Keeps ring offsets within an int and a port's memory within reason. */
    public static final long MAX_RING_BYTES = 1L << 30;

    /** Reads and checks the three options, naming the one that is wrong. */
    public static RingGeometry fromOptions(NetdevConfig config) throws NetdevException {
        int blockSize = config.intOption("block-size", DEFAULT_BLOCK_SIZE, PAGE_SIZE, 1 << 28);
        int blockCount = config.intOption("block-count", DEFAULT_BLOCK_COUNT, 2, 1 << 16);
        int frameSize = config.intOption("frame-size", DEFAULT_FRAME_SIZE, 128, 1 << 28);
        String port = "port " + config.name() + ": ";
        if (blockSize % PAGE_SIZE != 0) {
            throw new NetdevException(port + "option 'block-size' must be a multiple of " + PAGE_SIZE + ", got " + blockSize);
        }
        if (frameSize % 16 != 0) {
            throw new NetdevException(port + "option 'frame-size' must be a multiple of 16, got " + frameSize);
        }
        if (frameSize > blockSize) {
            throw new NetdevException(port + "option 'frame-size' (" + frameSize + ") must not exceed 'block-size' ("
                    + blockSize + ")");
        }
        if ((long) blockSize * blockCount > MAX_RING_BYTES) {
            throw new NetdevException(port + "options 'block-size' x 'block-count' must not exceed " + MAX_RING_BYTES
                    + " bytes, got " + ((long) blockSize * blockCount));
        }
        return new RingGeometry(blockSize, blockCount, frameSize);
    }

    public int ringBytes() {
        return blockSizeBytes * blockCount;
    }

    public int framesPerBlock() {
        return blockSizeBytes / frameSizeBytes;
    }

    public int frameCount() {
        return framesPerBlock() * blockCount;
    }
}
