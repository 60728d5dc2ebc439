package dev.jvswitch.pmd.netdev;

import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Sh;

/**
 * The contract suite's peer for a port on a veth: a port of the same type on the veth's other
 * end, which owns that end's pool and the topology. It takes the link down by setting its end
 * administratively down, which drops the carrier of the port's end.
 */
public final class VethNetdevPeer extends NetdevPeer {
    private final MbufPool peerPool;
    private final String ifname;
    private final Topology topo;

    public VethNetdevPeer(Netdev netdev, MbufPool peerPool, String ifname, Topology topo) {
        super(netdev, peerPool);
        this.peerPool = peerPool;
        this.ifname = ifname;
        this.topo = topo;
    }

    @Override
    public boolean takeLinkDown() {
        Sh.run("ip", "link", "set", ifname, "down");
        return true;
    }

    /** Closes the peer port, checks its pool got every mbuf back, then deletes the veths. */
    @Override
    public void close() {
        try {
            super.close();
            peerPool.checkNoLeaks();
        } finally {
            peerPool.close();
            topo.close();
        }
    }
}
