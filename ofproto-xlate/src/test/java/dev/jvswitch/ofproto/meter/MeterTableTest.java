package dev.jvswitch.ofproto.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.ofproto.Ofctl;
import dev.jvswitch.ofproto.mod.FlowRemoved;
import dev.jvswitch.ofproto.mod.MeterMod;
import dev.jvswitch.ofproto.mod.ModFailedException;
import dev.jvswitch.ofproto.mod.ModResult;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.MeterSyntax;
import dev.jvswitch.ofproto.xlate.ControllerOutput;
import dev.jvswitch.ofproto.xlate.TestSwitch;
import dev.jvswitch.ofproto.xlate.XlateResult;
import dev.jvswitch.pmd.meter.DpMeters;
import dev.jvswitch.testkit.frame.Frames;

/**
 * A bridge's meter table as OVS's ofproto keeps it: adds, modifies and deletes with OVS's errors,
 * datapath meter ids, flows naming meters (refused when the meter is missing, deleted with it),
 * translation to {@code meter(id)} and the packet-in meter of controller actions.
 */
class MeterTableTest {
    private static final byte[] TCP = Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(1, 80).build();

    private TestSwitch sw;
    private DpMeters datapath;

    @BeforeEach
    void setUp() {
        sw = new TestSwitch().bridge("br0", 4, 0).bridge("br1", 2, 10);
        datapath = new DpMeters();
        sw.ofproto.bindMeters(datapath);
    }

    @AfterEach
    void tearDown() {
        sw.close();
    }

    private ModResult apply(String bridge, MeterMod mm) {
        return sw.ofproto.apply(bridge, mm);
    }

    private static MeterModException.Code code(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MeterModException m) {
                return m.code();
            }
        }
        return null;
    }

    @Test
    void addModifyDeleteWithOvsErrors() {
        apply("br0", MeterSyntax.parseAdd("meter=1,pktps,burst,stats,bands=type=drop,rate=10,burst_size=5"));
        MeterEntry m = sw.ofproto.meters("br0").get(0);
        assertThat(m.dpId()).as("the first datapath meter id, as OVS's id pool gives").isZero();
        assertThat(datapath.get(0)).isNotNull();

        assertThatThrownBy(() -> apply("br0", MeterSyntax.parseAdd("meter=1,pktps,bands=type=drop,rate=1")))
                .satisfies(e -> assertThat(code(e)).isEqualTo(MeterModException.Code.METER_EXISTS));
        assertThatThrownBy(() -> apply("br0", MeterSyntax.parseModify("meter=9,pktps,bands=type=drop,rate=1")))
                .satisfies(e -> assertThat(code(e)).isEqualTo(MeterModException.Code.UNKNOWN_METER));
        assertThatThrownBy(() -> apply("br0", MeterSyntax.parseAdd(
                "meter=3,pktps,bands=type=dscp_remark,rate=10,prec_level=1")))
                .satisfies(e -> assertThat(code(e)).isEqualTo(MeterModException.Code.BAD_BAND));
        assertThatThrownBy(() -> apply("br0", new MeterMod(MeterMod.Command.ADD,
                new Meter(4, Meter.KBPS | Meter.PKTPS, List.of(MeterBand.drop(1, 0))))))
                .satisfies(e -> assertThat(code(e)).isEqualTo(MeterModException.Code.BAD_FLAGS));
        assertThatThrownBy(() -> apply("br0", new MeterMod(MeterMod.Command.ADD,
                new Meter(4, Meter.KBPS, List.of(MeterBand.drop(0, 0))))))
                .satisfies(e -> assertThat(code(e)).isEqualTo(MeterModException.Code.BAD_RATE));
        assertThatThrownBy(() -> apply("br0", new MeterMod(MeterMod.Command.ADD,
                new Meter(0x1_0000_0000L - 16, Meter.KBPS, List.of(MeterBand.drop(1, 0))))))
                .satisfies(e -> assertThat(code(e)).isEqualTo(MeterModException.Code.INVALID_METER));
        assertThatThrownBy(() -> apply("br0", new MeterMod(MeterMod.Command.ADD, new Meter(5, Meter.KBPS,
                java.util.Collections.nCopies(9, MeterBand.drop(1, 0))))))
                .satisfies(e -> assertThat(code(e)).isEqualTo(MeterModException.Code.OUT_OF_BANDS));

        apply("br0", MeterSyntax.parseModify("meter=1,kbps,bands=type=drop,rate=1000"));
        assertThat(MeterSyntax.format(sw.ofproto.meters("br0").get(0).config()))
                .isEqualTo("meter=1 kbps bands=\ntype=drop rate=1000");
        assertThat(sw.ofproto.meters("br0").get(0).dpId()).as("a modify keeps the datapath id").isZero();

        apply("br0", MeterSyntax.parseDelete("meter=1"));
        assertThat(sw.ofproto.meters("br0")).isEmpty();
        assertThat(datapath.get(0)).isNull();
        apply("br0", MeterSyntax.parseDelete("meter=1"));
    }

    @Test
    void failedTransactionsLeaveNoDatapathMeterAndIdsAreReused() {
        assertThatThrownBy(() -> sw.ofproto.apply("br0", List.of(
                MeterSyntax.parseAdd("meter=1,pktps,bands=type=drop,rate=10"),
                MeterSyntax.parseAdd("meter=1,pktps,bands=type=drop,rate=10"))))
                .isInstanceOf(ModFailedException.class);
        assertThat(sw.ofproto.meters("br0")).isEmpty();
        assertThat(datapath.get(0)).isNull();
        apply("br1", MeterSyntax.parseAdd("meter=1,pktps,bands=type=drop,rate=10"));
        apply("br0", MeterSyntax.parseAdd("meter=1,pktps,bands=type=drop,rate=10"));
        assertThat(sw.ofproto.meters("br1").get(0).dpId()).isZero();
        assertThat(sw.ofproto.meters("br0").get(0).dpId()).as("bridges share the datapath's ids").isEqualTo(1);
        apply("br1", MeterSyntax.parseDelete(""));
        apply("br1", MeterSyntax.parseAdd("meter=2,pktps,bands=type=drop,rate=10"));
        assertThat(sw.ofproto.meters("br1").get(0).dpId()).isZero();
    }

    @Test
    void flowsNamingMetersAreRefusedWithoutThemAndDeletedWithThem() {
        assertThatThrownBy(() -> Ofctl.addFlow(sw.ofproto, "br0", "in_port=1,actions=meter:7,output:2"))
                .satisfies(e -> assertThat(code(e)).isEqualTo(MeterModException.Code.INVALID_METER))
                .hasMessageContaining("meter 7 does not exist");
        apply("br0", MeterSyntax.parseAdd("meter=7,pktps,bands=type=drop,rate=10"));
        sw.flows("br0", "in_port=1,actions=meter:7,output:2", "in_port=2,actions=output:1");
        assertThat(sw.actions(TCP, 1)).isEqualTo("meter(0),2");
        List<MeterStats> stats = sw.ofproto.meterStats("br0", Meter.ALL);
        assertThat(stats).singleElement().satisfies(s -> assertThat(s.flowCount()).isEqualTo(1));

        long seq = sw.ofproto.revalSeq();
        ModResult r = apply("br0", MeterSyntax.parseDelete("meter=all"));
        assertThat(sw.ofproto.revalSeq()).isGreaterThan(seq);
        assertThat(r.removed()).singleElement().satisfies(f -> assertThat(f.reason())
                .isEqualTo(FlowRemoved.Reason.METER_DELETE));
        assertThat(sw.ofproto.flowStats("br0")).hasSize(1);
        assertThat(sw.actions(TCP, 1)).isEqualTo("drop");
    }

    @Test
    void bundlesApplyMeterAndFlowModsAsOneTransaction() {
        sw.ofproto.apply("br0", List.of(MeterSyntax.parseAdd("meter=2,kbps,bands=type=drop,rate=100"),
                FlowSyntax.parseAdd("in_port=1,actions=meter:2,output:2")));
        assertThat(sw.actions(TCP, 1)).isEqualTo("meter(0),2");
        assertThatThrownBy(() -> sw.ofproto.apply("br0", List.of(
                MeterSyntax.parseAdd("meter=3,kbps,bands=type=drop,rate=100"),
                FlowSyntax.parseAdd("in_port=2,actions=meter:4,output:1"))))
                .isInstanceOf(ModFailedException.class);
        assertThat(sw.ofproto.meters("br0")).extracting(MeterEntry::meterId).containsExactly(2L);
        assertThat(datapath.get(1)).as("the failed bundle's meter never reached the datapath").isNull();
    }

    @Test
    void controllerActionsPassTheirMeterOrTheControllerMeter() {
        apply("br0", MeterSyntax.parseAdd("meter=5,pktps,bands=type=drop,rate=10"));
        sw.flows("br0", "in_port=1,actions=controller(meter_id=5)", "in_port=2,actions=controller");
        XlateResult metered = sw.xlate(sw.key(TCP, 1));
        assertThat(metered.controllerOutputs()).singleElement()
                .satisfies(o -> assertThat(o.meterDpId()).isZero());
        assertThat(sw.xlate(sw.key(TCP, 2)).controllerOutputs()).singleElement()
                .satisfies(o -> assertThat(o.meterDpId()).isEqualTo(ControllerOutput.NO_METER));
        apply("br0", MeterSyntax.parseAdd("meter=controller,pktps,bands=type=drop,rate=10"));
        assertThat(sw.xlate(sw.key(TCP, 2)).controllerOutputs()).singleElement()
                .satisfies(o -> assertThat(o.meterDpId()).isEqualTo(1));
    }
}
