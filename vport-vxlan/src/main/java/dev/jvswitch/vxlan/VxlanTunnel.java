package dev.jvswitch.vxlan;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.tunnel.VxlanHeaderFlyweight;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.PacketBytes;
import dev.jvswitch.pmd.tunnel.TunnelConfig;
import dev.jvswitch.pmd.tunnel.TunnelHeaderParams;
import dev.jvswitch.pmd.tunnel.TunnelOps;
import dev.jvswitch.pmd.tunnel.UdpTunnel;

/**
 * VXLAN (RFC 7348) over {@link UdpTunnel}: what differs from any UDP tunnel is the 8-byte header,
 * {@code flags=0x08000000} (the I bit) and the VNI in the top 24 bits of the second word.
 *
 * <p>On pop, as OVS's {@code netdev_vxlan_pop_header} (and Linux): the flags word must be exactly
 * the I bit and the byte after the VNI zero, else the packet is refused
 * ({@link TunnelOps#POP_BAD_HEADER}). Group Policy and GPE extensions are not supported.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class VxlanTunnel extends UdpTunnel {
    private static final int HEADER = VxlanHeaderFlyweight.HEADER_LENGTH;
    private static final int FLAGS = VxlanHeaderFlyweight.FLAG_VNI_VALID;

    public VxlanTunnel(TunnelConfig config) {
        super(DpActions.TNL_TYPE_VXLAN, config);
    }

    @Override
    protected int tunnelHeaderLength() {
        return HEADER;
    }

    @Override
    protected int writeTunnelHeader(UnsafeBuffer buffer, int offset, TunnelHeaderParams params) {
        new VxlanHeaderFlyweight().wrap(buffer, offset, HEADER).flags(FLAGS)
                .vni((int) (params.tunId() & VxlanHeaderFlyweight.MAX_VNI));
        return HEADER;
    }

    @Override
    protected long parseTunnelHeader(Mbuf packet, UnsafeBuffer buffer, int index, int available) {
        if (available < HEADER) {
            return -POP_MALFORMED;
        }
        // Inside the packet: the pop checked available against the UDP length, and it here.
        long header = PacketBytes.u64(buffer, index); // flags word, then VNI word (offsets 0 and 4)
        int flags = (int) (header >>> 32);
        int vniWord = (int) header;
        if (flags != FLAGS || (vniWord & 0xff) != 0) {
            return -POP_BAD_HEADER;
        }
        return (long) HEADER << 32 | (vniWord >>> 8);
    }
}
