package dev.jvswitch.ofproto.tnl;

import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.pmd.tunnel.TunnelConfig;
import dev.jvswitch.pmd.tunnel.TunnelHeaderParams;
import dev.jvswitch.pmd.tunnel.UdpTunnel;

/**
 * A VXLAN datapath half for ofproto's tests (vport-vxlan is on ofproto's floor, so ofproto's tests
 * cannot depend on it): the same 8-byte header over pmd-core's {@link UdpTunnel}.
 */
final class TestVxlan extends UdpTunnel {
    TestVxlan(TunnelConfig config) {
        super(4, config);
    }

    /** A VXLAN tunnel with {@code options} ({@code remote_ip} and the rest). */
    static TestVxlan of(String name, String... keyValues) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            o.put(keyValues[i], keyValues[i + 1]);
        }
        return new TestVxlan(TunnelConfig.parse(name, "vxlan", o, 4789, 0xffffff));
    }

    @Override
    protected int tunnelHeaderLength() {
        return 8;
    }

    @Override
    protected int writeTunnelHeader(UnsafeBuffer buffer, int offset, TunnelHeaderParams params) {
        buffer.putInt(offset, 0x0800_0000, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 4, (int) (params.tunId() << 8), ByteOrder.BIG_ENDIAN);
        return 8;
    }

    @Override
    protected long parseTunnelHeader(Mbuf packet, UnsafeBuffer buffer, int index, int available) {
        if (available < 8) {
            return -POP_MALFORMED;
        }
        int flags = buffer.getInt(index, ByteOrder.BIG_ENDIAN);
        int vni = buffer.getInt(index + 4, ByteOrder.BIG_ENDIAN);
        if (flags != 0x0800_0000 || (vni & 0xff) != 0) {
            return -POP_BAD_HEADER;
        }
        return 8L << 32 | (vni >>> 8);
    }
}
