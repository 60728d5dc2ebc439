package dev.jvswitch.afpacket;

import java.util.Map;

import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.Netdevs;

/** Run in a child JVM with fewer privileges: opens an afpacket port on {@code args[0]} and prints what happened. */
public final class OpenProbe {
    private OpenProbe() {
    }

    public static void main(String[] args) {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("probe", 64))) {
            try (Netdev port = Netdevs.open(new NetdevConfig("p1", "afpacket", Map.of("ifname", args[0]), pool))) {
                System.out.println("OPENED " + port);
            } catch (NetdevException e) {
                System.out.println("ERROR " + e.getMessage());
            }
        }
    }
}
