package dev.jvswitch.ofproto.upcall;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.mac.MacDependency;
import dev.jvswitch.ofproto.xlate.PacketSpec;
import dev.jvswitch.ofproto.xlate.TestSwitch;
import dev.jvswitch.ofproto.xlate.WorldGen;
import dev.jvswitch.ofproto.xlate.XlateBridge;
import dev.jvswitch.ofproto.xlate.XlateResult;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.flow.Ukey;
import dev.jvswitch.pmd.testing.DatapathHarness;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Design invariant 1 end to end: random switches in front of a real {@link
 * dev.jvswitch.pmd.Datapath} with two PMDs (stepped by hand) and ring ports. Every packet is sent
 * twice: the first copy takes the slow path (or a megaflow an earlier packet installed), the
 * second the fast path (EMC or dpcls), and both leave the switch byte for byte the same. At the
 * end every installed megaflow, applied to every packet (and recirculated packet) it matches, has
 * the actions a fresh translation of that packet gives — unless the MAC table has moved under it,
 * which its recorded MAC dependencies must then show (the revalidators' cue).
 */
class DatapathEquivalencePropertyTest {
    private static final AtomicLong CHECKED = new AtomicLong();
    private static final AtomicLong STALE = new AtomicLong();

    @Property(tries = 120)
    void fastPathAgreesWithFreshTranslation(@ForAll long seed) {
        Random rnd = new Random(seed);
        try (TestSwitch sw = new TestSwitch()) {
            WorldGen world = new WorldGen(rnd);
            world.build(sw);
            DatapathConfig cfg = DatapathConfig.defaults().withPmdCpus(-1, -1)
                    .withEmcInsertInvProb(rnd.nextBoolean() ? 1 : 0);
            try (DatapathHarness rig = DatapathHarness.builder(cfg, sw.ofproto.upcallHandler())
                    .portNumbers(dpPorts(sw)).build()) {
                List<FlowKey> keys = new ArrayList<>();
                List<PacketSpec> specs = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    PacketSpec spec = specs.isEmpty() || rnd.nextBoolean()
                            ? PacketSpec.random(rnd, world.dpPorts)
                            : specs.get(rnd.nextInt(specs.size())).variant(rnd);
                    specs.add(spec);
                    byte[] frame = spec.frame();
                    long macSeq = sw.macSeq();
                    rig.send(spec.dpInPort(), frame);
                    rig.step(3);
                    Map<Integer, List<byte[]>> first = rig.receiveAll();
                    boolean macChanged = sw.macSeq() != macSeq;
                    rig.send(spec.dpInPort(), frame);
                    rig.step(3);
                    Map<Integer, List<byte[]>> second = rig.receiveAll();
                    if (!macChanged) {
                        assertThat(hex(second)).as("second copy of %s", spec).isEqualTo(hex(first));
                    }
                    FlowKey key = sw.key(frame, spec.dpInPort());
                    keys.add(key);
                    for (XlateResult.RecircPoint p : sw.xlate(key).recircPoints()) {
                        keys.add(TestSwitch.recirculated(key, p));
                    }
                }
                for (Ukey u : rig.dp.flows().dump()) {
                    for (FlowKey key : keys) {
                        if (!u.flow().matches(key)) {
                            continue;
                        }
                        UkeyData data = (UkeyData) u.data();
                        if (!dependenciesHold(sw, data)) {
                            STALE.incrementAndGet();
                            continue;
                        }
                        CHECKED.incrementAndGet();
                        assertThat(u.flow().actions()).as("megaflow %s for %s", u.flow(), key)
                                .isEqualTo(sw.xlate(key).actions());
                    }
                }
            }
        }
    }

    /** The MAC lookups a flow was translated with still give the same answers. */
    private static boolean dependenciesHold(TestSwitch sw, UkeyData data) {
        for (MacDependency d : data.macDependencies()) {
            if (sw.ofproto.macTable(d.bridge()).lookup(d.mac(), d.vlan(), sw.clockNs.get()) != d.ofPort()) {
                return false;
            }
        }
        return true;
    }

    private static int[] dpPorts(TestSwitch sw) {
        TreeSet<Integer> ports = new TreeSet<>();
        for (XlateBridge b : sw.ofproto.snapshot().bridges().values()) {
            for (OfPort p : b.config().ports()) {
                if (!p.isPatch()) {
                    ports.add(p.dpPort());
                }
            }
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String hex(Map<Integer, List<byte[]>> out) {
        StringBuilder sb = new StringBuilder();
        out.forEach((port, frames) -> {
            sb.append(port).append(':');
            for (byte[] f : frames) {
                sb.append(Frames.hex(f)).append(' ');
            }
            sb.append('\n');
        });
        return sb.toString();
    }

    @AfterContainer
    static void enoughFlowsWereChecked() {
        System.out.println("megaflow/packet pairs checked: " + CHECKED.get() + ", stale by MAC moves: " + STALE.get());
        assertThat(CHECKED.get()).as("megaflow/packet pairs checked (stale: %d)", STALE.get()).isGreaterThan(1000);
    }
}
