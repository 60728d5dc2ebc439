package dev.jvswitch.pmd.port;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.AbstractNetdev;
import dev.jvswitch.pmd.netdev.AbstractRxq;

/** An rx queue on which nothing ever arrives. Its counters stay zero, so any thread may poll it. */
final class EmptyRxq extends AbstractRxq {
    EmptyRxq(AbstractNetdev port, int id) {
        super(port, id);
    }

    @Override
    public int recv(PacketBatch batch, MbufCache cache) {
        return 0;
    }

    @Override
    public int pollFd() {
        return NEVER_READY;
    }
}
