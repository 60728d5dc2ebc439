package dev.jvswitch.afpacket;


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
 * The port contract for AF_PACKET. The port under test sits on one end of a veth pair made for
 * each test (both ends in the root namespace, unique names, GRO/GSO/TSO off) with two rx queues
 * (a fanout group) and two tx queues, so that every queue path is exercised; the peer is a
 * second AF_PACKET port on the other end, with its own pool so that the suite's pool accounting
 * sees the port under test alone. The peer takes the link down by setting its end
 * administratively down, which drops the carrier of the port's end. The port under test has the
 * default rx ring ({@code rx-ring: v2}); {@link AfPacketV3ContractTest} runs the same contract
 * over TPACKET_V3 rx rings.
 */
@Tag("netns")
class AfPacketContractTest extends NetdevContractTest {

    @Override
    protected PortUnderTest open(MbufPool pool) throws Exception {
        Needs.that(Topology.available(), "root, ip and python3");
        Topology topo = new Topology();
        MbufPool peerPool = null;
        Netdev port = null;
        Netdev peerPort = null;
        try {
            Topology.Veth v = topo.vethInRoot("k");
            port = Netdevs.open(new NetdevConfig("p0", AfPacketProvider.TYPE,
                    Map.of("ifname", v.root(), "rxqs", "2", "rx-ring", rxRing()), pool, 2));
            peerPool = MbufPool.create(MbufPoolConfig.of("contract-peer", 4096));
            peerPort = Netdevs.open(new NetdevConfig("peer", AfPacketProvider.TYPE, Map.of("ifname", v.peer()), peerPool));
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

    /** The port under test's {@code rx-ring} option. */
    protected String rxRing() {
        return "v2";
    }

    /** The machine is shared with builds: give the kernel and the peer time. */
    @Override
    protected Duration timeout() {
        return Duration.ofSeconds(20);
    }

    /** An AF_PACKET port on the veth's other end; owns that end's pool and the topology. */
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
