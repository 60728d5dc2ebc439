package dev.jvswitch.openflow.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFlowMod;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.openflow.codec.FlowModCodec;

/**
 * The start-up warm-up takes the whole OVN table through a connection's handlers and into a
 * scratch bridge, then takes some of its flows out and puts them back: every flow commits (a flow it lost would leave its path cold, and a refusal would
 * mean the warm-up took a path a real bundle does not), the connection answers every request with
 * no error, and a pass stops at its budget.
 */
class ChannelWarmupTest {
    @Test
    void theWholeOvnTableAndItsChangesGoThroughAConnectionIntoAScratchBridge() throws Exception {
        ChannelWarmup.Result r = ChannelWarmup.run(7, 60_000);
        assertThat(r.flows()).isEqualTo(442);
        assertThat(r.committed()).isEqualTo(442);
        assertThat(r.decoded()).isEqualTo(442);
        // HELLO, features, TLV table and echo replies (the TLV map's add and the CT flushes have
        // none); then per bundle (the table, 12 changes) open, commit and barrier replies: no error
        // among them.
        assertThat(r.replies()).isEqualTo(4 + 3 * 13);
        assertThat(r.passes()).isEqualTo(7);
    }

    @Test
    void aSpentBudgetStopsBeforeTheNextPass() throws Exception {
        assertThat(ChannelWarmup.run(5, 0).passes()).isZero();
    }

    /**
     * A VLAN match goes into the warm-up's bundles as ovn-controller (OVS's encoder) sends it,
     * {@code OXM_OF_VLAN_VID} with a mask, through the hand decoder (a flow with a Nicira action)
     * and through openflowj's, and decodes to the flow's own match; a TCI mask with PCP bits,
     * which OVS writes otherwise, stays {@code NXM_OF_VLAN_TCI}.
     */
    @Test
    void aVlanMatchGoesAsOvsWritesItAndDecodesToTheSameMatch() {
        for (String flow : List.of("table=8,priority=100,metadata=0x1,vlan_tci=0x1000/0x1000,actions=drop",
                "table=8,priority=100,reg14=0x2,metadata=0x1,vlan_tci=0x1000/0x1000,actions=resubmit(,9)",
                "table=8,priority=90,metadata=0x1,vlan_tci=0x1005/0x1fff,actions=drop")) {
            FlowMod mod = FlowSyntax.parseAdd(flow);
            ByteBuf b = Unpooled.buffer();
            ChannelWarmup.bundleAdd(b, mod, 7);
            assertThat(indexOf(b, 0x8000_0D04)).as(flow).isPositive();
            assertThat(indexOf(b, 0x0000_0904)).as(flow).isNegative();
            assertThat(decoded(b)).as(flow).isEqualTo(mod.match());
        }
        FlowMod pcp = FlowSyntax.parseAdd("table=8,priority=100,vlan_tci=0x3000/0xf000,actions=drop");
        ByteBuf b = Unpooled.buffer();
        ChannelWarmup.bundleAdd(b, pcp, 8);
        assertThat(indexOf(b, 0x8000_0D04)).isNegative();
        assertThat(decoded(b)).isEqualTo(pcp.match());
    }

    private static int indexOf(ByteBuf b, int header) {
        for (int i = 0; i + 4 <= b.writerIndex(); i++) {
            if (b.getInt(i) == header) {
                return i;
            }
        }
        return -1;
    }

    private static Match decoded(ByteBuf b) {
        EmbeddedChannel ch = new EmbeddedChannel(new OfFrameDecoder(() -> TlvMap.EMPTY));
        ch.writeInbound(b);
        OfFrameDecoder.BundleAdd15 m = ch.readInbound();
        assertThat(m.error()).isNull();
        return m.flow() != null ? m.flow().match() : FlowModCodec.decode((OFFlowMod) m.inner()).match();
    }
}
