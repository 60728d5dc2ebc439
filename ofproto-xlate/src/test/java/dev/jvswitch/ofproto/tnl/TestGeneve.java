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
 * A Geneve datapath half for ofproto's tests (as {@link TestVxlan}: vport-vxlan is on ofproto's
 * floor): the 8-byte header with the options translation asks for, protocol 0x6558.
 */
final class TestGeneve extends UdpTunnel {
    TestGeneve(TunnelConfig config) {
        super(5, config);
    }

    /** A Geneve tunnel with {@code options} ({@code remote_ip} and the rest). */
    static TestGeneve of(String name, String... keyValues) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            o.put(keyValues[i], keyValues[i + 1]);
        }
        return new TestGeneve(TunnelConfig.parse(name, "geneve", o, 6081, 0xffffff));
    }

    @Override
    protected int tunnelHeaderLength() {
        return 8 + 252;
    }

    @Override
    protected int writeTunnelHeader(UnsafeBuffer buffer, int offset, TunnelHeaderParams params) {
        byte[] options = params.geneveOptions();
        boolean critical = false;
        for (int i = 0; i + 4 <= options.length; i += 4 + (options[i + 3] & 0x1f) * 4) {
            critical |= (options[i + 2] & 0x80) != 0;
        }
        boolean oam = (params.flags() & dev.jvswitch.pmd.tunnel.UdpTunnel.FLAG_OAM) != 0;
        buffer.putInt(offset, (options.length / 4) << 24 | (oam ? 0x80_0000 : 0) | (critical ? 0x40_0000 : 0) | 0x6558,
                ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 4, (int) (params.tunId() << 8), ByteOrder.BIG_ENDIAN);
        buffer.putBytes(offset + 8, options);
        return 8 + options.length;
    }

    @Override
    protected long parseTunnelHeader(Mbuf packet, UnsafeBuffer buffer, int index, int available) {
        if (available < 8) {
            return -POP_MALFORMED;
        }
        int first = buffer.getInt(index, ByteOrder.BIG_ENDIAN);
        int optLen = (first >>> 24 & 0x3f) * 4;
        if (8 + optLen > available) {
            return -POP_MALFORMED;
        }
        packet.tunnelOptions().set(buffer, index + 8, optLen);
        return (long) FLAG_UDPIF << 48 | (long) (8 + optLen) << 32
                | (buffer.getInt(index + 4, ByteOrder.BIG_ENDIAN) >>> 8);
    }
}
