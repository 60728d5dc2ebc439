package dev.jvswitch.pmd.port;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevRxq;

/** An rx queue on which nothing ever arrives. Stateless, so any thread may poll it. */
final class EmptyRxq implements NetdevRxq {
    private final Netdev port;
    private final int id;

    EmptyRxq(Netdev port, int id) {
        this.port = port;
        this.id = id;
    }

    @Override
    public Netdev netdev() {
        return port;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public int recv(PacketBatch batch, MbufCache cache) {
        return 0;
    }
}
