package dev.jvswitch.pmd.netdev;

import java.time.Duration;

import org.junit.jupiter.api.Tag;

import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.netns.Topology;

/**
 * The port contract for a socket-based port type on a veth pair made for each test (both ends in
 * the root namespace, unique names, GRO/GSO/TSO off). The peer is a second port of the same type
 * on the other end, with its own pool, so that the suite's pool accounting sees the port under
 * test alone; it takes the link down by setting its end administratively down
 * ({@link VethNetdevPeer}). A port module names how it opens the two ports.
 */
@Tag("netns")
public abstract class VethContractTest extends NetdevContractTest {

    /** Opens the port under test on {@code ifname}, asking for two tx queues. */
    protected abstract Netdev openPort(String ifname, MbufPool pool) throws Exception;

    /** Opens the peer port on {@code ifname}. */
    protected abstract Netdev openPeer(String ifname, MbufPool peerPool) throws Exception;

    /** The peer's own pool. */
    protected MbufPoolConfig peerPoolConfig() {
        return MbufPoolConfig.of("contract-peer", 4096);
    }

    @Override
    protected final PortUnderTest open(MbufPool pool) throws Exception {
        Needs.that(Topology.available(), "root, ip and python3");
        Topology topo = new Topology();
        MbufPool peerPool = null;
        Netdev port = null;
        Netdev peerPort = null;
        try {
            Topology.Veth v = topo.vethInRoot("k");
            port = openPort(v.root(), pool);
            peerPool = MbufPool.create(peerPoolConfig());
            peerPort = openPeer(v.peer(), peerPool);
            return new PortUnderTest(port, new VethNetdevPeer(peerPort, peerPool, v.peer(), topo));
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

    /** The machine is shared with builds: give the kernel and the peer time. */
    @Override
    protected Duration timeout() {
        return Duration.ofSeconds(20);
    }
}
