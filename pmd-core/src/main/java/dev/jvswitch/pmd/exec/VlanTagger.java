package dev.jvswitch.pmd.exec;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.pmd.stats.DropReason;

/**
 * {@code push_vlan} and {@code pop_vlan} on one packet: insert or remove 4 bytes right after
 * the Ethernet addresses, moving the addresses (and anything before {@code l2}) rather than the
 * payload, so the cost does not depend on the packet's size.
 *
 * <pre>
 *  before push:        | dst(6) | src(6) | type | payload
 *  after push:  | dst(6) | src(6) | tpid | tci | type | payload      (starts 4 bytes earlier)
 * </pre>
 *
 * <p>Header offsets keep pointing at the same headers: l2 stays where it was, l3 and l4 move by
 * 4 bytes with the data they point at.
 */
final class VlanTagger {
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    static final int VLAN_HEADER_LEN = 4;
    private VlanTagger() {
    }

    /**
     * Pushes an outermost tag; {@code wireTci} is the TCI as it goes on the wire (CFI/DEI clear).
     *
     * @return {@code null} on success, or the reason to drop the packet
     */
    static DropReason push(Mbuf m, int tpid, int wireTci) {
        int l2 = m.l2Offset();
        if (l2 < 0 || l2 + 14 > m.length()) {
            return DropReason.MALFORMED;
        }
        if (!m.prepend(VLAN_HEADER_LEN)) {
            return DropReason.NO_HEADROOM;
        }
        UnsafeBuffer buf = m.buffer();
        int base = m.dataOffset();
        moveDown(buf, base + VLAN_HEADER_LEN, base, l2 + 12);
        buf.putShort(base + l2 + 12, (short) tpid, BE);
        buf.putShort(base + l2 + 14, (short) wireTci, BE);
        m.headerOffsets(l2, m.l3Offset(), m.l4Offset());
        return null;
    }

    /** Removes the outermost tag if there is one (TPID 0x8100 or 0x88a8); otherwise does nothing. */
    static void pop(Mbuf m) {
        int l2 = m.l2Offset();
        if (l2 < 0 || l2 + 18 > m.length()) {
            return;
        }
        UnsafeBuffer buf = m.buffer();
        int base = m.dataOffset();
        int tpid = buf.getShort(base + l2 + 12, BE) & 0xffff;
        if (tpid != 0x8100 && tpid != 0x88a8) {
            return;
        }
        moveUp(buf, base, base + VLAN_HEADER_LEN, l2 + 12);
        m.trimFront(VLAN_HEADER_LEN);
        m.headerOffsets(l2, m.l3Offset(), m.l4Offset());
    }

    /** Copies {@code length} bytes to a lower address; safe for overlap because it goes forward. */
    private static void moveDown(UnsafeBuffer buf, int from, int to, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            buf.putLong(to + i, buf.getLong(from + i));
        }
        if (i + 4 <= length) {
            buf.putInt(to + i, buf.getInt(from + i));
            i += 4;
        }
        for (; i < length; i++) {
            buf.putByte(to + i, buf.getByte(from + i));
        }
    }

    /** Copies {@code length} bytes to a higher address; safe for overlap because it goes backward. */
    private static void moveUp(UnsafeBuffer buf, int from, int to, int length) {
        int i = length;
        for (; i >= 8; i -= 8) {
            buf.putLong(to + i - 8, buf.getLong(from + i - 8));
        }
        if (i >= 4) {
            buf.putInt(to + i - 4, buf.getInt(from + i - 4));
            i -= 4;
        }
        for (; i > 0; i--) {
            buf.putByte(to + i - 1, buf.getByte(from + i - 1));
        }
    }
}
