package dev.jvswitch.bench.demo;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowPrinter;
import dev.jvswitch.flowcache.parse.PacketParser;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.port.RingPort;
import dev.jvswitch.pmd.port.RingPorts;
import dev.jvswitch.pmd.show.DpctlFormat;
import dev.jvswitch.pmd.upcall.UpcallHandler;
import dev.jvswitch.pmd.upcall.UpcallOutcome;
import dev.jvswitch.testkit.frame.Frames;

/**
 * {@code jvs-bench demo}: an in-process tour of the datapath with no privileges needed. Three
 * "VMs" hang off ring ports 1..3 of a datapath with one PMD thread; a small fixed rule set
 * stands in for the OpenFlow tables (web traffic to port 2 tagged VLAN 10, other UDP to port 3,
 * ARP flooded, the rest dropped). It sends a mix of frames, prints how the parser sees each one,
 * what arrives where, then the megaflows ({@code dpctl/dump-flows}) and the PMD's counters
 * ({@code dpif-netdev/pmd-stats-show}).
 */
public final class DemoCommand {
    private DemoCommand() {
    }

    public static int run(String[] argv) throws Exception {
        if (argv.length > 0) {
            System.err.println("demo: takes no options");
            return 2;
        }
        Map<String, byte[]> frames = new LinkedHashMap<>();
        frames.put("TCP/IPv4 to port 80", Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(40000, 80).tcpFlags(0x02).size(60).build());
        frames.put("TCP/IPv4 to port 80, next", Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(40000, 80).tcpFlags(0x10).size(60).build());
        frames.put("TCP/IPv6 to port 80", Frames.tcp6().ip("2001:db8::1", "2001:db8::2").ports(40001, 80).size(80).build());
        frames.put("UDP/IPv4 (DNS)", Frames.udp4().ip("10.0.0.1", "10.0.0.3").ports(5353, 53).size(60).build());
        frames.put("UDP/IPv4 in VLAN 20", Frames.udp4().vlan(20).ip("10.0.0.1", "10.0.0.3").ports(5000, 5001).size(64).build());
        frames.put("ARP request", Frames.arp().build());
        frames.put("VXLAN-encapsulated UDP", Frames.udp4().ip("192.0.2.1", "192.0.2.2")
                .vxlan(42, Frames.udp4().ip("10.9.0.1", "10.9.0.2").ports(1, 2).size(60).build()).build());
        frames.put("ICMP echo", Frames.icmp4().ip("10.0.0.1", "10.0.0.2").build());

        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("demo", 2048));
             RingPorts.Pair vm1 = RingPorts.pair("vm1-dp", "vm1");
             RingPorts.Pair vm2 = RingPorts.pair("vm2-dp", "vm2");
             RingPorts.Pair vm3 = RingPorts.pair("vm3-dp", "vm3")) {
            MbufCache cache = pool.newCache();
            System.out.println("== the parser's view of each frame (datapath flow syntax)");
            PacketParser parser = new PacketParser();
            FlowKey key = new FlowKey();
            for (Map.Entry<String, byte[]> e : frames.entrySet()) {
                Mbuf m = cache.get();
                m.copyFrom(e.getValue(), 0, e.getValue().length);
                m.inPort(1);
                parser.parse(m, key);
                System.out.printf("%-26s %s%n", e.getKey() + ":", FlowPrinter.format(key));
                cache.put(m);
            }

            Datapath dp = new Datapath(DatapathConfig.defaults(), pool, new DemoRules());
            try {
                dp.addPort(1, vm1.a());
                dp.addPort(2, vm2.a());
                dp.addPort(3, vm3.a());
                dp.start();
                PacketBatch batch = new PacketBatch();
                for (int round = 0; round < 3; round++) {
                    for (byte[] f : frames.values()) {
                        Mbuf m = cache.get();
                        m.copyFrom(f, 0, f.length);
                        batch.add(m);
                    }
                    vm1.b().txq(0).send(batch, cache);
                }
                int expected = 3 * 7; // all but ICMP; ARP reaches two ports
                int[] got = new int[4];
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (got[2] + got[3] < expected + 3 && System.nanoTime() < deadline) {
                    got[2] += drain(vm2.b(), batch, cache);
                    got[3] += drain(vm3.b(), batch, cache);
                    Thread.onSpinWait();
                }
                System.out.printf("%n== sent %d frames into port 1 (3 rounds); vm2 received %d, vm3 received %d%n",
                        3 * frames.size(), got[2], got[3]);
                System.out.println("\n== dpctl/dump-flows");
                System.out.print(DpctlFormat.dumpFlows(dp, false));
                System.out.println("\n== dpif-netdev/pmd-stats-show");
                System.out.print(DpctlFormat.pmdStatsShow(dp));
            } finally {
                dp.stop();
                dp.close();
                pool.releaseCache(cache);
            }
            String leaks = pool.leakReport();
            System.out.println(leaks == null ? "\n== mempool: every mbuf returned" : "\n== " + leaks);
            return leaks == null ? 0 : 1;
        }
    }

    private static int drain(RingPort host, PacketBatch batch, MbufCache cache) {
        int n = host.rxq(0).recv(batch, cache);
        cache.putAll(batch);
        return n;
    }

    /** The demo's rule set, standing in for OpenFlow tables until the slow path exists. */
    private static final class DemoRules implements UpcallHandler {
        private final DpActions web = DpActions.builder().pushVlan(0x8100, DpActions.vlanTci(10, 0)).output(2).build();
        private final DpActions udp = DpActions.builder().output(3).build();
        private final DpActions flood = DpActions.builder().output(2).output(3).build();
        private final DpActions drop = DpActions.builder().drop().build();

        @Override
        public UpcallOutcome onUpcall(int pmdId, FlowKey k, Mbuf packet, dev.jvswitch.pmd.upcall.UpcallResult r) {
            r.mask().exact(FlowField.ETH_TYPE);
            long type = k.get(FlowField.ETH_TYPE);
            if (type == FlowKey.ETH_TYPE_ARP) {
                r.actions(flood);
                return UpcallOutcome.OK;
            }
            if (type != FlowKey.ETH_TYPE_IPV4 && type != FlowKey.ETH_TYPE_IPV6) {
                r.actions(drop);
                return UpcallOutcome.OK;
            }
            r.mask().exact(FlowField.NW_PROTO);
            long proto = k.get(FlowField.NW_PROTO);
            if (proto == FlowKey.IPPROTO_TCP) {
                r.mask().exact(FlowField.TP_DST);
                r.actions(k.get(FlowField.TP_DST) == 80 ? web : drop);
            } else if (proto == FlowKey.IPPROTO_UDP) {
                r.actions(udp);
            } else {
                r.actions(drop);
            }
            return UpcallOutcome.OK;
        }
    }

}
