package dev.jvswitch.flowcache.parse;

import static dev.jvswitch.flowcache.parse.KeyWords.S_ETH_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.S_ETH_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.S_ETH_TYPE;
import static dev.jvswitch.flowcache.parse.KeyWords.S_VLAN_TCI;
import static dev.jvswitch.flowcache.parse.KeyWords.S_VLAN_TCI1;
import static dev.jvswitch.flowcache.parse.KeyWords.S_VLAN_TPID;
import static dev.jvswitch.flowcache.parse.KeyWords.S_VLAN_TPID1;
import static dev.jvswitch.flowcache.parse.KeyWords.W_ETH_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.W_ETH_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.W_ETH_TYPE;
import static dev.jvswitch.flowcache.parse.KeyWords.W_VLAN_TCI;
import static dev.jvswitch.flowcache.parse.KeyWords.W_VLAN_TCI1;
import static dev.jvswitch.flowcache.parse.KeyWords.W_VLAN_TPID;
import static dev.jvswitch.flowcache.parse.KeyWords.W_VLAN_TPID1;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.mempool.PacketBytes;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * L2: Ethernet addresses, up to two VLAN tags (802.1Q or 802.1ad TPIDs, in any order) and the
 * Ethernet type, including 802.2 LLC/SNAP frames (OVS's {@code parse_vlan} and
 * {@code parse_ethertype}).
 *
 * <pre>
 *  0                   6                  12      14 (+4 per tag)
 *  | destination MAC   | source MAC       | type  |
 *                                         | TPID | TCI | ... | type |   (VLAN tags)
 *  802.3:                                 | len  | AA AA 03 00 00 00 | type |  (SNAP)
 * </pre>
 *
 * A tag whose four bytes plus the next type do not fit in the frame is not parsed: the type
 * field then holds its TPID, as in OVS. A VLAN TCI is stored with the CFI bit set to mark a
 * present tag. An 802.3 frame without SNAP gets type {@link FlowKey#ETH_TYPE_NONE}.
 */
final class EthernetParser {
    static final int HEADER_BYTES = 14;
    static final int MAX_VLANS = 2;
    private static final int VLAN_TAG_BYTES = 4;
    private static final int SNAP_BYTES = 8;

    private EthernetParser() {
    }

    /**
     * Fills the L2 fields of {@code w} from the frame at {@code pos}, which has at least
     * {@link #HEADER_BYTES} bytes before {@code end}.
     *
     * @return the offset just past the Ethernet header (the L3 start)
     */
    static int parse(UnsafeBuffer b, int pos, int end, long[] w) {
        // Both addresses in two reads: bytes 0-7 are dst and the top of src, bytes 8-11 the rest.
        long head = PacketBytes.u64(b, pos);
        long srcLow = PacketBytes.u32(b, pos + 8);
        w[W_ETH_DST] |= (head >>> 16) << S_ETH_DST;
        w[W_ETH_SRC] |= (((head & 0xffff) << 32) | srcLow) << S_ETH_SRC;
        pos += 12;

        int type = PacketBytes.u16(b, pos);
        if (isVlan(type) && end - pos >= VLAN_TAG_BYTES + 2) {
            w[W_VLAN_TPID] |= (long) type << S_VLAN_TPID;
            w[W_VLAN_TCI] |= (long) (PacketBytes.u16(b, pos + 2) | FlowKey.VLAN_CFI) << S_VLAN_TCI;
            pos += VLAN_TAG_BYTES;
            type = PacketBytes.u16(b, pos);
            if (isVlan(type) && end - pos >= VLAN_TAG_BYTES + 2) {
                w[W_VLAN_TPID1] |= (long) type << S_VLAN_TPID1;
                w[W_VLAN_TCI1] |= (long) (PacketBytes.u16(b, pos + 2) | FlowKey.VLAN_CFI) << S_VLAN_TCI1;
                pos += VLAN_TAG_BYTES;
                type = PacketBytes.u16(b, pos);
            }
        }
        pos += 2;

        if (type < FlowKey.ETH_TYPE_MIN) {
            type = FlowKey.ETH_TYPE_NONE;
            if (end - pos >= SNAP_BYTES && isSnapEthernet(b, pos)) {
                int snapType = PacketBytes.u16(b, pos + 6);
                pos += SNAP_BYTES;
                if (snapType >= FlowKey.ETH_TYPE_MIN) {
                    type = snapType;
                }
            }
        }
        w[W_ETH_TYPE] |= (long) type << S_ETH_TYPE;
        return pos;
    }

    static boolean isVlan(int type) {
        return type == FlowKey.ETH_TYPE_VLAN_8021Q || type == FlowKey.ETH_TYPE_VLAN_8021AD;
    }

    /** LLC DSAP/SSAP 0xAA, control 0x03 (SNAP) and the Ethernet OUI 00-00-00. */
    private static boolean isSnapEthernet(UnsafeBuffer b, int pos) {
        return PacketBytes.u16(b, pos) == 0xaaaa && PacketBytes.u32(b, pos + 2) == 0x0300_0000L;
    }
}
