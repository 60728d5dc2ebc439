package dev.jvswitch.openflow.channel;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import dev.jvswitch.openflow.codec.OfError;

/**
 * The two messages written by hand rather than by openflowj: HELLO with a version bitmap (it
 * must be readable by any version) and OFPT_ERROR (one layout in every version, and the only
 * message also sent before a version is agreed).
 *
 * <p>Stateless.
 */
final class OfWire {
    private static final int TYPE_HELLO = 0;
    private static final int TYPE_ERROR = 1;

    private OfWire() {
    }

    /** A HELLO of the highest of {@code versions}, with a version bitmap element naming them all. */
    static ByteBuf hello(ByteBufAllocator alloc, List<Integer> versions, long xid) {
        int max = 0;
        long bitmap = 0;
        for (int v : versions) {
            max = Math.max(max, v);
            bitmap |= 1L << v;
        }
        ByteBuf b = alloc.buffer(16);
        b.writeByte(max).writeByte(TYPE_HELLO).writeShort(16).writeInt((int) xid);
        b.writeShort(1).writeShort(8).writeInt((int) bitmap);
        return b;
    }

    /** OFPT_ERROR {@code error} about the message whose first bytes are {@code data}. */
    static ByteBuf error(ByteBufAllocator alloc, int version, long xid, OfError error, byte[] data) {
        OfError.Wire w = error.onWire(version);
        int len = 12 + (w.experimenter() >= 0 ? 4 : 0) + data.length;
        ByteBuf b = alloc.buffer(len);
        b.writeByte(version).writeByte(TYPE_ERROR).writeShort(len).writeInt((int) xid);
        b.writeShort(w.type()).writeShort(w.code());
        if (w.experimenter() >= 0) {
            b.writeInt((int) w.experimenter());
        }
        b.writeBytes(data);
        return b;
    }

    /**
     * The version both sides speak, or -1 (OpenFlow 1.3 section 7.5.1): with two bitmaps, the
     * highest version in both; otherwise the lower of the two header versions, if we speak it.
     */
    static int negotiate(List<Integer> ours, int theirVersion, long theirBitmap) {
        int best = -1;
        if (theirBitmap != 0) {
            for (int v : ours) {
                if ((theirBitmap & (1L << v)) != 0) {
                    best = Math.max(best, v);
                }
            }
            return best;
        }
        int max = 0;
        for (int v : ours) {
            max = Math.max(max, v);
        }
        int v = Math.min(max, theirVersion);
        return ours.contains(v) ? v : -1;
    }
}
