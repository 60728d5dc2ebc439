package dev.jvswitch.openflow.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.sh.Sh;

/**
 * The hand-written multipart replies: byte for byte what openflowj writes in OpenFlow 1.3 (where
 * it is right), and in 1.5 what Open vSwitch's own decoder ({@code ovs-ofctl ofp-print}) reads
 * back as the values that went in.
 */
class MultipartWireTest {
    private static final OFFactory F13 = OFFactories.getFactory(OFVersion.OF_13);
    private static final OFFactory F15 = OFFactories.getFactory(OFVersion.OF_15);

    @Test
    void tableFeaturesInOpenFlow13AreTheLibrarysBytes() {
        ByteBuf lib = Unpooled.buffer();
        F13.buildTableFeaturesStatsReply().setXid(7).setFlags(Set.of())
                .setEntries(TableFeaturesCodec.tables(F13, 3)).build().writeTo(lib);
        List<ByteBuf> ours = MultipartWire.tableFeatures(4, 7, TableFeaturesCodec.tables(F13, 3));
        assertThat(ours).hasSize(1);
        assertThat(ByteBufUtil.hexDump(ours.get(0))).isEqualTo(ByteBufUtil.hexDump(lib));
    }

    @Test
    void tableFeaturesOf254TablesAreSplitAndEveryPropertyIsPadded() {
        List<ByteBuf> replies = MultipartWire.tableFeatures(6, 9, TableFeaturesCodec.tables(F15, 254));
        assertThat(replies.size()).isGreaterThan(1);
        int tables = 0;
        for (int i = 0; i < replies.size(); i++) {
            ByteBuf b = replies.get(i);
            assertThat(b.getUnsignedShort(2)).isEqualTo(b.readableBytes()).isLessThanOrEqualTo(65535);
            assertThat(b.getUnsignedShort(10)).as("REPLY_MORE").isEqualTo(i + 1 < replies.size() ? 1 : 0);
            for (int at = 16; at < b.readableBytes(); tables++) {
                int len = b.getUnsignedShort(at);
                assertThat(len % 8).isZero();
                for (int p = at + 64; p < at + len; ) {
                    int plen = b.getUnsignedShort(p + 2);
                    p += (plen + 7) & ~7;
                    assertThat(p).isLessThanOrEqualTo(at + len);
                }
                at += len;
            }
        }
        assertThat(tables).isEqualTo(254);
    }

    @Test
    void openVSwitchReadsOurOpenFlow15Replies() {
        Needs.that(Sh.onPath("ovs-ofctl"), "ovs-ofctl (openvswitch-common)");
        List<ByteBuf> tf = MultipartWire.tableFeatures(6, 1, TableFeaturesCodec.tables(F15, 2));
        String out = Sh.run("ovs-ofctl", "ofp-print", ByteBufUtil.hexDump(tf.get(0)));
        assertThat(out).contains("OFPST_TABLE_FEATURES reply (OF1.5)").contains("table 0:").contains("table 1:")
                .contains("max_entries=1000000").doesNotContain("decode error");

        out = Sh.run("ovs-ofctl", "ofp-print", ByteBufUtil.hexDump(MultipartWire.aggregate15(2, 3, 5, 300)));
        assertThat(out).contains("OFPST_AGGREGATE reply (OF1.5)")
                .contains("packet_count=5 byte_count=300 flow_count=3");

        FlowMod add = FlowSyntax.parseAdd("table=2,cookie=0x9,priority=7,idle_timeout=30,tcp,tp_dst=80,"
                + "actions=output:1");
        FlowStats s = new FlowStats(2, 7, add.match(), 9, 30, 0, Set.of(FlowMod.Flag.SEND_FLOW_REM),
                add.instructions(), 3_500_000_000L, 1_000_000_000L, 4, 1234);
        out = Sh.run("ovs-ofctl", "ofp-print", ByteBufUtil.hexDump(MultipartWire.flowStats15(3, List.of(s), F15)
                .get(0)));
        assertThat(out).contains("OFPST_FLOW reply (OF1.5)").contains("cookie=0x9, duration=3.500s, table=2, "
                + "n_packets=4, n_bytes=1234, idle_timeout=30, send_flow_rem idle_age=1, priority=7,tcp,tp_dst=80 "
                + "actions=output:1");
    }
}
