package dev.jvswitch.pmd.netdev.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Small native buffers for the structures system calls take by pointer: a direct buffer in native
 * byte order and its address. Setup code makes one per call (it runs on the control thread);
 * code on a PMD keeps one made at start.
 */
public final class Scratch {
    private Scratch() {
    }

    /** A zeroed direct buffer of {@code bytes} in native order. */
    public static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    /** The native address of a direct buffer's first byte. */
    public static long address(ByteBuffer bb) {
        return new UnsafeBuffer(bb).addressOffset();
    }
}
