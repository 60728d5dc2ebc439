package dev.jvswitch.afpacket;

import java.util.Map;

import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.pmd.netdev.VethContractTest;

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
class AfPacketContractTest extends VethContractTest {

    @Override
    protected Netdev openPort(String ifname, MbufPool pool) throws Exception {
        return Netdevs.open(new NetdevConfig("p0", AfPacketProvider.TYPE,
                Map.of("ifname", ifname, "rxqs", "2", "rx-ring", rxRing()), pool, 2));
    }

    @Override
    protected Netdev openPeer(String ifname, MbufPool peerPool) throws Exception {
        return Netdevs.open(new NetdevConfig("peer", AfPacketProvider.TYPE, Map.of("ifname", ifname), peerPool));
    }

    /** The port under test's {@code rx-ring} option. */
    protected String rxRing() {
        return "v2";
    }
}
