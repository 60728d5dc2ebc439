package dev.jvswitch.afxdp;

import java.util.Map;

import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.Netdevs;

/**
 * Run in a child JVM: opens an afxdp port on {@code args[0]} in xdp-mode {@code args[1]} and
 * prints {@code OPENED <xdp-mode>} or {@code ERROR <message>}; with {@code args[2]} = {@code hold}
 * it then waits to be killed instead of closing the port.
 */
public final class XdpProbe {
    private XdpProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("probe", 1024).withFrameSlots())) {
            Netdev port;
            try {
                port = Netdevs.open(new NetdevConfig("p1", AfXdpProvider.TYPE,
                        Map.of("ifname", args[0], "xdp-mode", args[1], "n_rxq_desc", "256", "n_txq_desc", "256"), pool));
            } catch (NetdevException e) {
                System.out.println("ERROR " + e.getMessage());
                return;
            }
            System.out.println("OPENED " + port.status().get("xdp-mode"));
            System.out.flush();
            if (args.length > 2 && args[2].equals("hold")) {
                Thread.sleep(120_000);
            }
            port.close();
        }
    }
}
