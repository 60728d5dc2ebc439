package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.key.FlowPrinter;

/**
 * The key property of translation (design invariant 1): the megaflow a translation installs is
 * sound. (Each packet is also translated over a linear reference classifier, which must give the
 * same actions.) For random switches ({@link WorldGen}) and random packets ({@link PacketSpec}): translate
 * a packet, take its megaflow (masked key + actions), then for many other packets that fall inside
 * that megaflow (equal on every masked bit) a fresh translation gives the same actions. The
 * recirculated pass of a {@code dp_hash} select group is checked the same way, with the dp_hash
 * the datapath would compute.
 */
class MegaflowEquivalencePropertyTest {
    private static final int PACKETS = 12;
    private static final int VARIANTS = 25;
    private static final AtomicLong COMPARED = new AtomicLong();
    private static final AtomicLong COMPARED_RECIRC = new AtomicLong();

    @Property(tries = 1500)
    void packetsInsideAMegaflowGetItsActions(@ForAll long seed) {
        Random rnd = new Random(seed);
        try (TestSwitch sw = new TestSwitch()) {
            WorldGen world = new WorldGen(rnd);
            world.build(sw);
            XlateSnapshot linear = linearSnapshot(sw, world);
            for (int p = 0; p < PACKETS; p++) {
                PacketSpec spec = PacketSpec.random(rnd, world.dpPorts);
                FlowKey key = sw.key(spec.frame(), spec.dpInPort());
                XlateResult r = sw.xlate(key);
                XlateResult l = sw.ofproto.xlate().translate(linear, key, false, sw.clockNs.get(), null);
                assertThat(l.actions())
                        .as(() -> disagreement(sw, linear, key, seed, r, l)).isEqualTo(r.actions());
                assertThat(r.mask().isExact(FlowField.IN_PORT)).isTrue();
                assertThat(r.mask().isExact(FlowField.RECIRC_ID)).isTrue();
                long[] masked = new long[FlowKey.DP_WORDS];
                FlowMask.apply(key, r.mask(), masked);
                for (int v = 0; v < VARIANTS; v++) {
                    PacketSpec other = spec.variant(rnd);
                    FlowKey otherKey = sw.key(other.frame(), other.dpInPort());
                    if (!FlowMask.matches(otherKey, r.mask(), masked)) {
                        continue;
                    }
                    COMPARED.incrementAndGet();
                    XlateResult o = sw.xlate(otherKey);
                    assertThat(o.actions())
                            .as("megaflow %s%n installed for %s%n applied to %s", FlowPrinter.format(key, r.mask()),
                                    key, otherKey)
                            .isEqualTo(r.actions());
                    checkRecirculations(sw, key, r, otherKey, o);
                }
            }
        }
    }

    /**
     * What a failure needs to be understood without its seed's history: the seed, both results
     * with their errors, every rule, and both traces.
     */
    private static String disagreement(TestSwitch sw, XlateSnapshot linear, FlowKey key, long seed, XlateResult r,
            XlateResult l) {
        StringBuilder b = new StringBuilder("linear classifier for ").append(key).append(" (seed ").append(seed)
                .append(")\n  tuple space: ").append(r.actions()).append(" error ").append(r.error())
                .append("\n  linear:      ").append(l.actions()).append(" error ").append(l.error()).append('\n');
        for (String bridge : sw.ofproto.bridges()) {
            for (var rule : sw.ofproto.tables(bridge).rules()) {
                b.append("  ").append(bridge).append(' ').append(rule).append('\n');
            }
        }
        java.util.List<TraceNode> tss = new java.util.ArrayList<>();
        java.util.List<TraceNode> lin = new java.util.ArrayList<>();
        sw.ofproto.xlate().translate(sw.ofproto.snapshot(), key, false, sw.clockNs.get(), tss);
        sw.ofproto.xlate().translate(linear, key, false, sw.clockNs.get(), lin);
        return b.append("  tuple-space trace: ").append(tss).append("\n  linear trace: ").append(lin).toString();
    }

    /**
     * Each recirculation of the first packet is a packet of its own: its megaflow must hold for
     * the other packet's recirculation when that one falls inside it.
     */
    private static void checkRecirculations(TestSwitch sw, FlowKey key, XlateResult r, FlowKey otherKey,
            XlateResult o) {
        for (int i = 0; i < r.recircPoints().size(); i++) {
            FlowKey next = TestSwitch.recirculated(key, r.recircPoints().get(i));
            XlateResult rn = sw.xlate(next);
            assertThat(rn.error()).isNotEqualTo(XlateError.NO_RECIRCULATION_CONTEXT);
            FlowKey otherNext = TestSwitch.recirculated(otherKey, o.recircPoints().get(i));
            long[] masked = new long[FlowKey.DP_WORDS];
            FlowMask.apply(next, rn.mask(), masked);
            if (FlowMask.matches(otherNext, rn.mask(), masked)) {
                COMPARED_RECIRC.incrementAndGet();
                assertThat(sw.xlate(otherNext).actions())
                        .as("recirculated megaflow %s applied to %s", FlowPrinter.format(next, rn.mask()), otherNext)
                        .isEqualTo(rn.actions());
            }
        }
    }

    /**
     * The same switch over the linear reference classifier: its lookups record more wildcards,
     * but must find the same rules, so translation must give the same actions.
     */
    private static XlateSnapshot linearSnapshot(TestSwitch sw, WorldGen world) {
        java.util.List<XlateBridge> bridges = new java.util.ArrayList<>();
        for (XlateBridge b : sw.ofproto.snapshot().bridges().values()) {
            var t = sw.ofproto.tables(b.name());
            bridges.add(new XlateBridge(b.config(), new LinearTables(t.version(), t.rules(), t.groups(),
                    world.continueTables.getOrDefault(b.name(), java.util.Set.of())), b.macTable()));
        }
        return new XlateSnapshot(sw.ofproto.snapshot().version(), bridges);
    }

    @AfterContainer
    static void enoughPacketsFellInsideMegaflows() {
        // Guards the test against a generator change that makes every comparison vacuous.
        System.out.println("packets compared inside megaflows: " + COMPARED.get() + ", recirculated: "
                + COMPARED_RECIRC.get());
        assertThat(COMPARED.get()).isGreaterThan(20_000);
        assertThat(COMPARED_RECIRC.get()).isGreaterThan(100);
    }
}
