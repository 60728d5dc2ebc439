package dev.jvswitch.vswitchd.slowpath.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.frame.Frames;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.flow.Ukey;
import dev.jvswitch.pmd.port.RingPort;
import dev.jvswitch.pmd.port.RingPorts;
import dev.jvswitch.vswitchd.slowpath.BridgeView;
import dev.jvswitch.vswitchd.slowpath.BridgeView.PortView;
import dev.jvswitch.vswitchd.slowpath.SlowPathException;
import dev.jvswitch.vswitchd.slowpath.SlowPathSettings;

/**
 * The built-in slow path driving a real datapath: three ring ports, one PMD stepped by the test
 * under a test clock. Checks that megaflows follow MAC learning, rule changes and idle time, and
 * that rule counters receive the megaflows' stats.
 */
class BuiltinSlowPathTest {
    private static final String A = "02:00:00:00:00:0a";
    private static final String B = "02:00:00:00:00:0b";
    private static final int MAX_IDLE_MS = 1_000;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final List<RingPorts.Pair> pairs = new ArrayList<>();
    private MbufPool pool;
    private MbufCache cache;
    private Datapath dp;
    private BuiltinSlowPath sp;

    @BeforeEach
    void setUp() throws SlowPathException {
        pool = MbufPool.create(MbufPoolConfig.of("builtin-test", 2048));
        cache = pool.newCache();
        clock.update(5_000_000_000L);
        sp = new BuiltinSlowPath();
        dp = new Datapath(DatapathConfig.defaults(), pool, sp.upcallHandler(), clock);
        sp.start(dp, new SlowPathSettings(MAX_IDLE_MS, 1, 1000, 64, 300));
        List<PortView> ports = new ArrayList<>();
        for (int no = 1; no <= 3; no++) {
            RingPorts.Pair pair = RingPorts.pair("p" + no, "h" + no, 1, 256);
            pairs.add(pair);
            dp.addPort(no, pair.a());
            ports.add(new PortView("p" + no, no, no, -1, List.of()));
        }
        sp.setBridges(List.of(new BridgeView("br0", ports)));
        sp.replaceFlows("br0", List.of("priority=0,actions=normal"));
    }

    @AfterEach
    void tearDown() {
        sp.close();
        dp.close();
        for (RingPorts.Pair p : pairs) {
            p.close();
        }
        pool.releaseCache(cache);
        try {
            pool.checkNoLeaks();
        } finally {
            pool.close();
        }
    }

    private void send(int port, String src, String dst) {
        byte[] f = Frames.udp4().src(src).dst(dst).build();
        Mbuf m = cache.get();
        m.copyFrom(f, 0, f.length);
        PacketBatch batch = new PacketBatch();
        batch.add(m);
        pairs.get(port - 1).b().txq(0).send(batch, cache);
        for (int i = 0; i < 4; i++) {
            clock.advance(1_000);
            dp.pmd(0).doWork();
        }
    }

    private int received(int port) {
        RingPort host = pairs.get(port - 1).b();
        PacketBatch batch = new PacketBatch();
        int total = 0;
        int n;
        while ((n = host.rxq(0).recv(batch, cache)) > 0) {
            total += n;
            cache.putAll(batch);
        }
        return total;
    }

    private List<String> flows() {
        List<String> out = new ArrayList<>();
        for (Ukey u : dp.flows().dump()) {
            out.add("in_port=" + u.flow().inPort() + " actions:" + u.flow().actions());
        }
        out.sort(null);
        return out;
    }

    private void tick() {
        sp.onTick(dp.nowMs());
    }

    @Test
    void floodFlowBecomesUnicastOnceTheDestinationIsLearned() {
        send(1, A, B);
        assertThat(received(2)).isEqualTo(1);
        assertThat(received(3)).isEqualTo(1);
        assertThat(flows()).containsExactly("in_port=1 actions:2,3");
        send(2, B, A);
        assertThat(received(1)).isEqualTo(1);
        tick();
        assertThat(flows()).containsExactly("in_port=1 actions:2", "in_port=2 actions:1");
        send(1, A, B);
        assertThat(received(2)).isEqualTo(1);
        assertThat(received(3)).isZero();
    }

    @Test
    void ruleStatsAndIdleExpiry() throws SlowPathException {
        send(1, A, B);
        send(1, A, B);
        tick();
        assertThat(sp.dumpFlows("br0")).contains("n_packets=2, n_bytes=", "priority=0 actions=NORMAL");
        clock.advance((MAX_IDLE_MS + 1) * 1_000_000L);
        tick();
        assertThat(flows()).isEmpty();
        assertThat(sp.upcallShow()).contains("deleted       : idle 1, revalidation 0");
        assertThat(sp.dumpFlows("br0")).contains("n_packets=2");
    }

    @Test
    void addFlowReturnsOnlyWhenMegaflowsFollowTheNewRule() throws SlowPathException {
        send(1, A, B);
        received(2);
        received(3);
        sp.addFlow("br0", "priority=10,in_port=1,actions=drop");
        assertThat(flows()).isEmpty(); // its mask would change: deleted, not left forwarding
        send(1, A, B);
        assertThat(received(2)).isZero();
        assertThat(flows()).containsExactly("in_port=1 actions:drop");
        assertThat(sp.delFlows("br0", "in_port=1")).isEqualTo(1);
        send(1, A, B);
        assertThat(received(2)).isEqualTo(1);
    }

    @Test
    void portsLeavingTheBridgeTakeTheirFlowsAndMacsWithThem() throws SlowPathException {
        send(1, A, B);
        send(2, B, A);
        sp.setBridges(List.of(new BridgeView("br0", List.of(new PortView("p1", 1, 1, -1, List.of()),
                new PortView("p3", 3, 3, -1, List.of())))));
        assertThat(flows()).containsExactly("in_port=1 actions:3");
        assertThat(sp.fdbShow("br0")).doesNotContain("02:00:00:00:00:0b").contains("02:00:00:00:00:0a");
    }

    @Test
    void fdbFlushForgetsEverything() throws SlowPathException {
        send(1, A, B);
        assertThat(sp.fdbShow("br0")).isEqualTo(" port  VLAN  MAC                Age\n    1     0  02:00:00:00:00:0a    0\n");
        sp.fdbFlush(null);
        assertThat(sp.fdbShow("br0")).isEqualTo(" port  VLAN  MAC                Age\n");
    }

    @Test
    void traceOfAFlowAndOfAPacket() throws SlowPathException {
        send(2, B, A);
        assertThat(sp.trace("br0", "in_port=1,dl_src=" + A + ",dl_dst=" + B, null)).isEqualTo("""
                Flow: in_port=1,dl_src=02:00:00:00:00:0a,dl_dst=02:00:00:00:00:0b,dl_type=0x0000

                bridge("br0")
                -------------
                 0. priority 0
                    NORMAL
                     -> forwarding to learned port 2

                Final flow: unchanged
                Megaflow: recirc_id=0,eth,in_port=1,dl_src=02:00:00:00:00:0a,dl_dst=02:00:00:00:00:0b
                Datapath actions: 2
                """);
        String hex = Frames.hex(Frames.udp4().src(A).dst("ff:ff:ff:ff:ff:ff").build());
        assertThat(sp.trace("br0", "in_port=3", hex)).contains("dl_type=0x0800", "broadcast, flooding")
                .endsWith("Datapath actions: 1,2\n");
        assertThatThrownBy(() -> sp.trace("br0", "dl_dst=" + B, null)).hasMessage(
                "ofproto/trace: the flow must give in_port=N (an OpenFlow port of br0)");
        assertThatThrownBy(() -> sp.trace("br9", "in_port=1", null)).hasMessage("no bridge named br9 (bridges: br0)");
    }

    @Test
    void groupsAreNotAvailable() {
        assertThatThrownBy(() -> sp.addGroup("br0", "group_id=1,type=all")).hasMessage("ofctl/add-group: groups are "
                + "not available with the built-in slow path (they come with the OpenFlow slow path, ofproto-xlate)");
        assertThatThrownBy(() -> sp.replaceGroups("br0", List.of("group_id=1"))).isInstanceOf(SlowPathException.class);
    }
}
