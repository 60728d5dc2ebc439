package dev.jvswitch.afxdp;

import java.util.Map;

import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.pmd.netdev.VethContractTest;

/**
 * The port contract for AF_XDP. The port under test sits on one end of a veth pair made for each
 * test (both ends in the root namespace, unique names, GRO/GSO/TSO off) in the XDP mode of
 * {@link #xdpMode()}; the peer is a second afxdp port on the other end, with its own pool, so the
 * suite's pool accounting sees the port under test alone. A veth has one queue, so the port has
 * one rx queue and offers one tx queue though the suite asks for two. The peer takes the link down
 * by setting its end administratively down, which drops the carrier of the port's end.
 * {@link AfXdpGenericContractTest} runs the same contract in generic mode.
 */
class AfXdpContractTest extends VethContractTest {

    @Override
    protected Netdev openPort(String ifname, MbufPool pool) throws Exception {
        return Netdevs.open(new NetdevConfig("p0", AfXdpProvider.TYPE,
                Map.of("ifname", ifname, "xdp-mode", xdpMode(), "n_rxq_desc", "1024", "n_txq_desc", "512"), pool, 2));
    }

    @Override
    protected Netdev openPeer(String ifname, MbufPool peerPool) throws Exception {
        return Netdevs.open(new NetdevConfig("peer", AfXdpProvider.TYPE,
                Map.of("ifname", ifname, "xdp-mode", xdpMode(), "n_rxq_desc", "1024"), peerPool));
    }

    @Override
    protected MbufPoolConfig peerPoolConfig() {
        return super.peerPoolConfig().withFrameSlots();
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
}
