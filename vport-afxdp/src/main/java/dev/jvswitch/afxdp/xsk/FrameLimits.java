package dev.jvswitch.afxdp.xsk;

import java.nio.ByteOrder;

import dev.jvswitch.mempool.Mbuf;

/**
 * The length rules, as the AF_PACKET port applies them (so both port types agree on what passes):
 * a received frame may carry the MTU after its Ethernet header plus 4 bytes per VLAN tag it
 * carries (802.1Q or 802.1ad, up to two); a frame sent may carry 4 more bytes only behind an
 * 802.1Q tag, as the kernel grants a packet socket. Reads only bytes the frame has (the caller
 * has checked it holds an Ethernet header).
 */
final class FrameLimits {
    static final int ETH_HEADER_BYTES = 14;
    private static final int VLAN_HEADER_BYTES = 4;
    private static final int TYPE_OFFSET = 12;
    private static final int ETH_TYPE_VLAN = 0x8100;
    private static final int ETH_TYPE_QINQ = 0x88a8;

    private FrameLimits() {
    }

    /** The longest a received {@code m} may be on a link of {@code mtu}. */
    static int rxMaxLength(Mbuf m, int mtu) {
        int limit = mtu + ETH_HEADER_BYTES;
        int at = m.dataOffset() + TYPE_OFFSET;
        if (isVlan(type(m, at))) {
            limit += VLAN_HEADER_BYTES;
            if (m.length() >= ETH_HEADER_BYTES + VLAN_HEADER_BYTES && isVlan(type(m, at + VLAN_HEADER_BYTES))) {
                limit += VLAN_HEADER_BYTES;
            }
        }
        return limit;
    }

    /** The longest {@code m} may be when sent on a link of {@code mtu}. */
    static int txMaxLength(Mbuf m, int mtu) {
        int limit = mtu + ETH_HEADER_BYTES;
        return type(m, m.dataOffset() + TYPE_OFFSET) == ETH_TYPE_VLAN ? limit + VLAN_HEADER_BYTES : limit;
    }

    private static int type(Mbuf m, int at) {
        return m.buffer().getShort(at, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    private static boolean isVlan(int ethType) {
        return ethType == ETH_TYPE_VLAN || ethType == ETH_TYPE_QINQ;
    }
}
