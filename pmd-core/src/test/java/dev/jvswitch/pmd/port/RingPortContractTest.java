package dev.jvswitch.pmd.port;

import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.pmd.netdev.NetdevContractTest;
import dev.jvswitch.pmd.netdev.NetdevPeer;

/** The port contract for a ring port; the peer is the other side of the pair. Two queues, so every txq is exercised. */
class RingPortContractTest extends NetdevContractTest {
    @Override
    protected PortUnderTest open(MbufPool pool) {
        RingPorts.Pair pair = RingPorts.pair("ring-ut", "ring-peer", 2, 1024);
        return new PortUnderTest(pair.a(), new NetdevPeer(pair.b(), pool));
    }

    @Override
    protected boolean zeroCopyRx() {
        return true;
    }
}
