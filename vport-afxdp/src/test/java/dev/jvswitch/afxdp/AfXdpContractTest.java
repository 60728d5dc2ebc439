package dev.jvswitch.afxdp;


import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;

import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevContractTest;
import dev.jvswitch.pmd.netdev.NetdevPeer;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Sh;
import dev.jvswitch.testkit.env.Needs;

/**
 * The port contract for AF_XDP. The port under test sits on one end of a veth pair made for each
 * test (both ends in the root namespace, unique names, GRO/GSO/TSO off) in the XDP mode of
 * {@link #xdpMode()}; the peer is a second afxdp port on the other end, with its own pool, so the
 * suite's pool accounting sees the port under test alone. A veth has one queue, so the port has
 * one rx queue and offers one tx queue though the suite asks for two. The peer takes the link down
 * by setting its end administratively down, which drops the carrier of the port's end.
 * {@link AfXdpGenericContractTest} runs the same contract in generic mode.
 */
@Tag("netns")
class AfXdpContractTest extends NetdevContractTest {

    @Override
    protected PortUnderTest open(MbufPool pool) throws Exception {
        Needs.that(Topology.available(), "root, ip and python3");
        Topology topo = new Topology();
        MbufPool peerPool = null;
        Netdev port = null;
        Netdev peerPort = null;
        try {
            Topology.Veth v = topo.vethInRoot("x");
            port = Netdevs.open(new NetdevConfig("p0", AfXdpProvider.TYPE,
                    Map.of("ifname", v.root(), "xdp-mode", xdpMode(), "n_rxq_desc", "1024", "n_txq_desc", "512"),
                    pool, 2));
            peerPool = MbufPool.create(MbufPoolConfig.of("contract-peer", 4096).withFrameSlots());
            peerPort = Netdevs.open(new NetdevConfig("peer", AfXdpProvider.TYPE,
                    Map.of("ifname", v.peer(), "xdp-mode", xdpMode(), "n_rxq_desc", "1024"), peerPool));
            return new PortUnderTest(port, new VethPeer(peerPort, peerPool, v.peer(), topo));
        } catch (Exception | Error e) {
            if (peerPort != null) {
                peerPort.close();
            }
            if (peerPool != null) {
                peerPool.close();
            }
            if (port != null) {
                port.close();
            }
            topo.close();
            throw e;
        }
    }

    /** The ports' {@code xdp-mode} option. */
    protected String xdpMode() {
        return "native";
    }

    @Override
    protected MbufPoolConfig poolConfig() {
        return super.poolConfig().withFrameSlots();
    }

    /** Frames wait in the fill ring's mbufs, taken before the pool ran dry: the port receives anyway. */
    @Override
    protected boolean zeroCopyRx() {
        return true;
    }

    /** The machine is shared with builds: give the kernel and the peer time. */
    @Override
    protected Duration timeout() {
        return Duration.ofSeconds(20);
    }

    /** An afxdp port on the veth's other end; owns that end's pool and the topology. */
    private static final class VethPeer extends NetdevPeer {
        private final MbufPool peerPool;
        private final String ifname;
        private final Topology topo;

        VethPeer(Netdev netdev, MbufPool peerPool, String ifname, Topology topo) {
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
}
