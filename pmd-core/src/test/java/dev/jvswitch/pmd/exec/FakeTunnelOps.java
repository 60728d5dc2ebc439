package dev.jvswitch.pmd.exec;

import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.pmd.tunnel.TunnelConfig;
import dev.jvswitch.pmd.tunnel.TunnelHeaderParams;
import dev.jvswitch.pmd.tunnel.TunnelOps;

/**
 * A test tunnel port: push prepends the template as is; pop strips a fixed number of bytes and
 * fills the tunnel metadata with fixed values, or fails with {@link #popResult}. Records every call.
 */
final class FakeTunnelOps implements TunnelOps {
    static final long POPPED_TUNNEL_ID = 0x7b;
    static final int POPPED_SRC = 0xc0a80001;
    static final int POPPED_DST = 0xc0a80002;

    private final int popBytes;
    boolean fail;
    /** What a failing pop answers. */
    int popResult = POP_MALFORMED;
    final List<byte[]> pushedHeaders = new ArrayList<>();
    final List<Integer> ipIds = new ArrayList<>();
    int pops;

    FakeTunnelOps(int popBytes) {
        this.popBytes = popBytes;
    }

    @Override
    public int tnlType() {
        return 4;
    }

    @Override
    public TunnelConfig config() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int headerLength(boolean ipv6) {
        return ipv6 ? 70 : 50;
    }

    @Override
    public int buildHeader(TunnelHeaderParams params, byte[] out) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean pushHeader(Mbuf packet, byte[] header, int headerLength, int ipId) {
        pushedHeaders.add(java.util.Arrays.copyOf(header, headerLength));
        ipIds.add(ipId);
        if (fail || !packet.prepend(headerLength)) {
            return false;
        }
        packet.buffer().putBytes(packet.dataOffset(), header, 0, headerLength);
        return true;
    }

    @Override
    public int popHeader(Mbuf packet) {
        pops++;
        if (fail || !packet.trimFront(popBytes)) {
            return popResult;
        }
        packet.tunnel(POPPED_TUNNEL_ID, POPPED_SRC, POPPED_DST, 0, 64, 0, 4789, 4789);
        return POP_OK;
    }
}
