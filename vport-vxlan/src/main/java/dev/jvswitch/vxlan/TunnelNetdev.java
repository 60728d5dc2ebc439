package dev.jvswitch.vxlan;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.AbstractNetdev;
import dev.jvswitch.pmd.netdev.AbstractRxq;
import dev.jvswitch.pmd.netdev.AbstractTxq;
import dev.jvswitch.pmd.netdev.QueueCounters;
import dev.jvswitch.pmd.port.PortOptions;
import dev.jvswitch.pmd.tunnel.TunnelOps;
import dev.jvswitch.pmd.tunnel.UdpTunnel;

/**
 * A VXLAN or Geneve port in the datapath: a number for {@code tnl_push(tnl_port(N))} and
 * {@code tnl_pop(N)}, and the {@link UdpTunnel} ({@link VxlanTunnel}, {@link GeneveTunnel}) the
 * executor pushes and pops with. As in OVS's
 * native tunnelling it carries no frames of its own: encapsulated packets leave by the underlay
 * port the outputs after {@code tnl_push} name, and arrive there too. Its one rx queue never has
 * anything; what is sent to it directly (translation never does) is dropped and counted.
 *
 * <p><b>Thread-safety:</b> see {@link AbstractNetdev}; the tunnel is immutable.
 */
public final class TunnelNetdev extends AbstractNetdev {
    private final UdpTunnel tunnel;

    public TunnelNetdev(String name, String type, UdpTunnel tunnel, int txqs) {
        super(name, type, 1, txqs);
        this.tunnel = tunnel;
        macAddress(PortOptions.generatedMac(name));
        addRxq(new NothingRxq(this));
        for (int i = 0; i < txqs; i++) {
            addTxq(new RefusingTxq(this, i));
        }
    }

    @Override
    public TunnelOps tunnelOps() {
        return tunnel;
    }

    @Override
    public boolean txqsNeedLocking() {
        return false;
    }

    @Override
    protected void onClose() {
        // Nothing to release: the queues hold no mbufs.
    }

    @Override
    public String toString() {
        return "TunnelNetdev[" + type() + " " + name() + ": " + tunnel.config().describe() + "]";
    }

    /** An rx queue on which nothing arrives: tunnel packets come in on the underlay port. */
    private static final class NothingRxq extends AbstractRxq {
        NothingRxq(AbstractNetdev port) {
            super(port, 0);
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

    /** Drops what is output to the tunnel port itself rather than pushed and sent on the underlay. */
    private static final class RefusingTxq extends AbstractTxq {
        RefusingTxq(AbstractNetdev port, int id) {
            super(port, id);
        }

        @Override
        public int send(PacketBatch batch, MbufCache cache) {
            return dropAll(batch, cache, QueueCounters.ERRORS);
        }
    }
}
