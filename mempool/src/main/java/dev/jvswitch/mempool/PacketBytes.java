package dev.jvswitch.mempool;

import java.nio.ByteOrder;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Big-endian reads of an mbuf's packet bytes ({@link Mbuf#buffer()}), without a bounds check per
 * read.
 *
 * <p><b>Rules:</b> the caller has proved that the bytes lie inside the packet, {@code
 * [dataOffset, dataOffset + length)} of the mbuf, which {@link Mbuf} keeps inside its buffer: the
 * flow key's parser checks once per packet that this range lies inside the buffer and each
 * header's parser checks that the header fits what is left of the frame (or of the IP packet)
 * before it reads a byte of it; a tunnel pop checks each outer header against the packet's
 * length and the IP and UDP lengths before reading it. That is the project's "off-heap reads
 * bounds-checked per packet", done once per header instead of once more per access (Agrona's
 * per-access check was 8-9 % of a VXLAN decap's PMD time). With assertions on (every test run)
 * each read also asserts that it lies inside the buffer.
 *
 * <p>The buffer is off-heap, as every {@link Mbuf#buffer()} is (asserted with each read): the reads
 * go to its address alone. An access through an object and an offset ({@code byteArray()},
 * {@code addressOffset()}) whose object may be null is one the JIT must order against every other
 * memory access around it, so it could keep neither the flow key's words nor the buffer's own
 * fields in registers across the reads; a raw address is memory of its own that Java fields and
 * arrays never alias.
 */
public final class PacketBytes {
    private static final boolean SWAP = ByteOrder.nativeOrder() != ByteOrder.BIG_ENDIAN;

    private PacketBytes() {
    }

    public static int u8(UnsafeBuffer b, int at) {
        assert inside(b, at, 1);
        return UnsafeApi.getByte(b.addressOffset() + at) & 0xff;
    }

    public static int u16(UnsafeBuffer b, int at) {
        assert inside(b, at, 2);
        short v = UnsafeApi.getShort(b.addressOffset() + at);
        return (SWAP ? Short.reverseBytes(v) : v) & 0xffff;
    }

    public static long u32(UnsafeBuffer b, int at) {
        assert inside(b, at, 4);
        int v = UnsafeApi.getInt(b.addressOffset() + at);
        return (SWAP ? Integer.reverseBytes(v) : v) & 0xffff_ffffL;
    }

    public static long mac(UnsafeBuffer b, int at) {
        return ((long) u16(b, at) << 32) | u32(b, at + 2);
    }

    public static long u64(UnsafeBuffer b, int at) {
        assert inside(b, at, 8);
        long v = UnsafeApi.getLong(b.addressOffset() + at);
        return SWAP ? Long.reverseBytes(v) : v;
    }

    /** Whether {@code [at, at + bytes)} lies inside {@code b}, an off-heap buffer (assertions only). */
    private static boolean inside(UnsafeBuffer b, int at, int bytes) {
        if (b.byteArray() != null) {
            throw new IllegalArgumentException("packet read from a heap buffer; PacketBytes reads mbufs' off-heap buffers");
        }
        if (at < 0 || at > b.capacity() - bytes) {
            throw new IndexOutOfBoundsException("packet read of " + bytes + " bytes at " + at + " outside capacity "
                    + b.capacity());
        }
        return true;
    }
}
