package dev.jvswitch.bench.ndr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.bench.dut.DutHarness;
import dev.jvswitch.bench.dut.DutKind;
import dev.jvswitch.bench.dut.DutOptions;
import dev.jvswitch.bench.dut.DutTopology;
import dev.jvswitch.bench.dut.Shell;
import dev.jvswitch.bench.traffic.FlowReceiver;
import dev.jvswitch.bench.traffic.FrameTemplate;
import dev.jvswitch.bench.traffic.PacedUdpLoad;
import dev.jvswitch.bench.traffic.StampedFlows;
import dev.jvswitch.bench.traffic.TrafficResult;
import dev.jvswitch.bench.traffic.TrafficRun;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.env.Needs;

/**
 * The generator and receiver end to end through this build's jvswitchd (root, and the daemon
 * packaged: a full build): h1 → jvswitch (two afpacket ports, NORMAL) → h2 at a fixed low rate,
 * every frame must arrive once and in order, with a one-way latency under a second, and the
 * run's JSON must be complete.
 */
class PktgenThroughJvswitchTest {
    @Test
    @Timeout(240)
    void aFixedLowRateThroughJvswitchArrivesWholeInOrderAndOnce(@TempDir Path run) throws Exception {
        Needs.that(Shell.isRoot(), "root (namespaces and veths)");
        DutOptions o = new DutOptions(-1, DutOptions.defaultJvswitchd(), null, "backoff", run, 256);
        Needs.none(DutKind.JVSWITCH.missing(o));
        FrameTemplate template = new FrameTemplate(new FrameTemplate.FrameSpec(64, false, -1, -1, DutTopology.H1_MAC,
                DutTopology.H2_MAC, DutTopology.UNOWNED_IP));
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("e2e", 4096));
                DutHarness h = DutHarness.start(DutKind.JVSWITCH.create(o), topo -> { });
                PacedUdpLoad gen = PacedUdpLoad.open("gen", h.topo.h1Ns, h.topo.h1If, pool,
                        new StampedFlows(template, 16, TrafficRun.nextTag()), -1);
                FlowReceiver rx = FlowReceiver.open("rx", h.topo.h2Ns, h.topo.h2If, pool, -1)) {
            TrafficResult r = TrafficRun.run(gen, rx, new TrafficRun.Plan(template, 16, 5_000, 32, 30, 3_000, 20_000_000L),
                    null);
            String json = r.toJson().toString();
            assertThat(r.sent()).as(json).isEqualTo(3_000);
            assertThat(r.receivedFrames()).as(json).isEqualTo(3_000);
            assertThat(r.lost()).isZero();
            assertThat(r.received().tracker().reordered()).isZero();
            assertThat(r.received().tracker().duplicated()).isZero();
            assertThat(r.latencyUs().get("max")).as(json).isBetween(1.0, 1_000_000.0);
            for (String field : new String[] {"seconds", "requestedPps", "sent", "offeredMpps", "pacingErrorPct",
                    "received", "receivedMpps", "lost", "loss", "reordered", "duplicated", "flowsWithLoss",
                    "rxRingDrops", "latencyUs", "p99.99", "perFlow"}) {
                assertThat(json).contains("\"" + field + "\":");
            }
        }
    }
}
