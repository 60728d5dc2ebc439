package dev.jvswitch.afpacket.sys;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;

/** Pins the calling thread to one CPU ({@code sched_setaffinity}), for forwarding tools. */
public final class Affinity {
    private static final int CPU_SET_BYTES = 128;

    private Affinity() {
    }

    /**
     * Pins the calling thread to {@code cpu}.
     *
     * @throws IllegalArgumentException one line naming the CPU and errno's text
     */
    public static void pinCurrentThread(int cpu) {
        if (cpu < 0 || cpu >= CPU_SET_BYTES * 8) {
            throw new IllegalArgumentException("cpu " + cpu + " outside 0.." + (CPU_SET_BYTES * 8 - 1));
        }
        ByteBuffer mask = PacketSockets.direct(CPU_SET_BYTES);
        mask.put(cpu / 8, (byte) (1 << (cpu % 8)));
        try {
            if (Native.LIBC.sched_setaffinity(0, CPU_SET_BYTES, PacketSockets.address(mask)) != 0) {
                throw new IllegalArgumentException("cannot pin to cpu " + cpu + ": sched_setaffinity failed: "
                        + Native.describe(Native.errno()));
            }
        } finally {
            Reference.reachabilityFence(mask);
        }
    }
}
