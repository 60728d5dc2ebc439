package dev.jvswitch.ofproto.upcall;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.Ofctl;
import dev.jvswitch.ofproto.xlate.TestSwitch;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.flow.Ukey;
import dev.jvswitch.pmd.stats.DropReason;
import dev.jvswitch.pmd.testing.DatapathHarness;
import dev.jvswitch.pmd.upcall.UpcallOutcome;
import dev.jvswitch.pmd.upcall.UpcallResult;
import dev.jvswitch.testkit.frame.Frames;

class OfprotoUpcallHandlerTest {
    private static byte[] tcp(int srcPort) {
        return Frames.tcp4().src("00:00:00:00:00:0a").dst("00:00:00:00:00:0b").ip("10.0.0.1", "10.0.0.2")
                .ports(srcPort, 80).build();
    }

    @Test
    void fillsActionsMaskAndUkeyData() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0)) {
            sw.flows("br0", "table=0,priority=10,tcp,actions=resubmit(,1)", "table=1,actions=NORMAL");
            UpcallResult res = new UpcallResult();
            res.reset();
            FlowKey key = sw.key(tcp(1), 1);
            assertThat(sw.ofproto.upcallHandler().onUpcall(0, key, null, res)).isEqualTo(UpcallOutcome.OK);
            assertThat(res.actions()).hasToString("2,3");
            assertThat(res.install()).isTrue();
            assertThat(res.mask().isExact(FlowField.ETH_SRC)).isTrue();
            UkeyData data = (UkeyData) res.ukeyData();
            assertThat(data.snapshotVersion()).isEqualTo(sw.ofproto.snapshot().version());
            assertThat(data.rules()).extracting(r -> r.tableId()).containsExactly(0, 1);
            assertThat(data.macDependencies()).hasSize(1);
            assertThat(data.macLearnings()).hasSize(1);
            // The upcall learned the source; a pure translation does not.
            assertThat(sw.ofproto.macTable("br0").size()).isEqualTo(1);
            assertThat(sw.ofproto.upcallHandler().translate(sw.key(tcp(1), 2)).macLearnings()).hasSize(1);
            assertThat(sw.ofproto.macTable("br0").size()).isEqualTo(1);
            assertThat(sw.ofproto.upcallHandler().upcalls()).isEqualTo(1);
        }
    }

    @Test
    void ukeyDataIsMadeOnlyWhenAskedAndOnlyForTheLastTranslation() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0)) {
            sw.flows("br0", "table=0,priority=10,tcp,actions=resubmit(,1)", "table=1,actions=output:2");
            UpcallResult first = new UpcallResult();
            first.reset();
            assertThat(sw.ofproto.upcallHandler().onUpcall(0, sw.key(tcp(1), 1), null, first)).isEqualTo(UpcallOutcome.OK);
            assertThat(first.ukeyDataSource()).isNotNull();
            UpcallResult second = new UpcallResult();
            second.reset();
            assertThat(sw.ofproto.upcallHandler().onUpcall(0, sw.key(tcp(2), 1), null, second)).isEqualTo(UpcallOutcome.OK);
            // The first translation was overwritten in place by the second.
            org.assertj.core.api.Assertions.assertThatThrownBy(first::ukeyData)
                    .isInstanceOf(IllegalStateException.class);
            UkeyData data = (UkeyData) second.ukeyData();
            assertThat(data.rules()).extracting(r -> r.tableId()).containsExactly(0, 1);
            assertThat(second.ukeyData()).isSameAs(data);
            assertThat(second.ukeyDataSource()).isNull();
            // Both upcalls share one program.
            assertThat(second.actions()).isSameAs(first.actions()).hasToString("2");
        }
    }

    @Test
    void controllerFlowsAreExecutedButNotInstalled() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0)) {
            sw.flows("br0", "actions=controller,output:2");
            UpcallResult res = new UpcallResult();
            res.reset();
            assertThat(sw.ofproto.upcallHandler().onUpcall(0, sw.key(tcp(1), 1), null, res)).isEqualTo(UpcallOutcome.OK);
            assertThat(res.install()).isFalse();
            assertThat(sw.ofproto.upcallHandler().controllerPackets()).isEqualTo(1);
        }
    }

    /** controller(meter_id=N): the packet-ins over the meter's rate are dropped (counted), the rest go. */
    @Test
    void meteredPacketInsPassTheirMeter() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0);
             dev.jvswitch.mempool.MbufPool pool = dev.jvswitch.mempool.MbufPool.create(
                     dev.jvswitch.mempool.MbufPoolConfig.of("packet-in-meter", 8).withCacheSize(0))) {
            sw.ofproto.apply("br0", dev.jvswitch.ofproto.syntax.MeterSyntax.parseAdd(
                    "meter=3,pktps,burst,bands=type=drop,rate=1,burst_size=2"));
            sw.flows("br0", "in_port=1,actions=controller(meter_id=3)");
            java.util.List<byte[]> got = new java.util.ArrayList<>();
            sw.ofproto.upcallHandler().packetInSink((m, out) -> got.add(m.toByteArray()));
            byte[] frame = tcp(1);
            for (int i = 0; i < 5; i++) {
                dev.jvswitch.mempool.Mbuf m = pool.get();
                m.copyFrom(frame, 0, frame.length);
                m.inPort(1);
                FlowKey key = new FlowKey();
                new dev.jvswitch.flowcache.parse.PacketParser().parse(m, key);
                UpcallResult res = new UpcallResult();
                res.reset();
                sw.ofproto.upcallHandler().onUpcall(0, key, m, res);
                pool.put(m);
            }
            // The test clock stands still: the burst of 2 and no refill.
            assertThat(got).hasSize(2);
            assertThat(sw.ofproto.upcallHandler().packetInsMetered()).isEqualTo(3);
            assertThat(sw.ofproto.meterStats("br0", 3)).singleElement().satisfies(s -> {
                assertThat(s.packets()).isEqualTo(5);
                assertThat(s.bandPackets()).containsExactly(3);
            });
            pool.checkNoLeaks();
        }
    }

    @Test
    void theControllerGetsThePacketAsTheActionsBeforeItEditedIt() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0);
             dev.jvswitch.mempool.MbufPool pool = dev.jvswitch.mempool.MbufPool.create(
                     dev.jvswitch.mempool.MbufPoolConfig.of("packet-in-edit", 8).withCacheSize(0))) {
            Ofctl.addGroup(sw.ofproto, "br0", "group_id=1,type=all,bucket=mod_dl_src:00:00:00:00:00:0e,controller");
            sw.flows("br0", "in_port=1,actions=mod_nw_dst:10.9.9.9,push_vlan:0x8100,mod_vlan_vid:7,controller,"
                    + "mod_nw_dst:10.1.1.1,output:2", "in_port=2,actions=controller,mod_dl_dst:00:00:00:00:00:0c,output:1",
                    "in_port=3,actions=output:1,mod_tp_dst:8080,group:1");
            java.util.List<byte[]> got = new java.util.ArrayList<>();
            sw.ofproto.upcallHandler().packetInSink((m, out) -> got.add(m.toByteArray()));
            byte[] frame = tcp(1);
            for (int port = 1; port <= 3; port++) {
                dev.jvswitch.mempool.Mbuf m = pool.get();
                m.copyFrom(frame, 0, frame.length);
                m.inPort(port);
                FlowKey key = new FlowKey();
                new dev.jvswitch.flowcache.parse.PacketParser().parse(m, key);
                UpcallResult res = new UpcallResult();
                res.reset();
                assertThat(sw.ofproto.upcallHandler().onUpcall(0, key, m, res)).isEqualTo(UpcallOutcome.OK);
                assertThat(m.toByteArray()).as("the datapath's packet is untouched").isEqualTo(frame);
                pool.put(m);
            }
            byte[] edited = Frames.tcp4().src("00:00:00:00:00:0a").dst("00:00:00:00:00:0b").vlan(7)
                    .ip("10.0.0.1", "10.9.9.9").ports(1, 80).build();
            assertThat(got).hasSize(3);
            assertThat(got.get(0)).as("set and push before output:CONTROLLER").isEqualTo(edited);
            assertThat(got.get(1)).as("nothing before it: the packet as it came").isEqualTo(frame);
            assertThat(got.get(2)).as("edits of the rule and of the group's bucket").isEqualTo(
                    Frames.tcp4().src("00:00:00:00:00:0e").dst("00:00:00:00:00:0b").ip("10.0.0.1", "10.0.0.2")
                            .ports(1, 8080).build());
            assertThat(sw.ofproto.upcallHandler().packetInsUnedited()).isZero();
            pool.checkNoLeaks();
        }
    }

    @Test
    void unknownRecircIdsAreDroppedAndCountedByTheDatapath() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0)) {
            Ofctl.addGroup(sw.ofproto, "br0", "group_id=1,type=select,selection_method=dp_hash,bucket=actions=output:2,"
                    + "bucket=actions=output:3");
            sw.flows("br0", "in_port=1,actions=group:1");
            UpcallResult res = new UpcallResult();
            res.reset();
            FlowKey stale = sw.key(tcp(1), 1);
            stale.set(FlowField.RECIRC_ID, 0x7777);
            assertThat(sw.ofproto.upcallHandler().onUpcall(0, stale, null, res))
                    .isEqualTo(UpcallOutcome.RECIRC_ID_UNKNOWN);
            assertThat(sw.ofproto.upcallHandler().recircUnknown()).isEqualTo(1);

            try (DatapathHarness rig = DatapathHarness.builder(DatapathConfig.defaults(), sw.ofproto.upcallHandler())
                    .portNumbers(1, 2, 3).build()) {
                rig.send(1, tcp(5), tcp(6), tcp(7));
                rig.step(4);
                assertThat(rig.receiveAll().values().stream().mapToInt(List::size).sum()).isEqualTo(3);
                // Retire the recirculation id and delete the recirculated pass's megaflows: the
                // first pass's megaflow still recirculates with the retired id.
                long mark = sw.ofproto.recircIds().mark();
                assertThat(sw.ofproto.recircIds().sweep(mark)).isEqualTo(1);
                for (Ukey u : rig.dp.flows().dump()) {
                    FlowKey k = new FlowKey();
                    u.flow().copyMaskedKeyTo(k);
                    if (k.get(FlowField.RECIRC_ID) != 0) {
                        rig.dp.flows().delete(u.id());
                    }
                }
                rig.send(1, tcp(5));
                rig.step(4);
                assertThat(rig.receiveAll()).isEmpty();
                assertThat(rig.dp.pmd(0).stats().get(DropReason.RECIRC_UNKNOWN)).isEqualTo(1);
                assertThat(sw.ofproto.upcallHandler().recircUnknown()).isEqualTo(2);
            }
        }
    }
}
