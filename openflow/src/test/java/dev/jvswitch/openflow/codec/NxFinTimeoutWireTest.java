package dev.jvswitch.openflow.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFVersion;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.Instruction;

/**
 * {@code NXAST_FIN_TIMEOUT} through openflowj by its stand-in: a flow mod carrying OVS's bytes
 * decodes to {@code fin_timeout}, a genuine {@code set_queue} stays refused, and a flow stats reply
 * carries OVS's bytes again.
 */
class NxFinTimeoutWireTest {
    private static final OFFactory F13 = OFFactories.getFactory(OFVersion.OF_13);
    /**
     * OVS's encode_FIN_TIMEOUT of fin_timeout(idle_timeout=5,hard_timeout=9) (a flow mod with these
     * actions prints as {@code actions=fin_timeout(idle_timeout=5,hard_timeout=9)} in OVS 3.1's
     * {@code ovs-ofctl ofp-print}).
     */
    private static final String FIN_5_9 = "ffff0010000023200013000500090000";
    private static final String SET_QUEUE_7 = "ffff0010000023200004000000000007";
    private static final String OUTPUT_1 = "0000001000000001ffff000000000000";
    private static final String OUTPUT_1_NO_MAX_LEN = "00000010000000010000000000000000";

    /** A flow mod whose apply-actions are {@code actionsHex}, as the bytes a controller sends. */
    private static ByteBuf flowMod(String actionsHex) {
        ByteBuf b = Unpooled.buffer();
        F13.buildFlowAdd().setXid(1).setInstructions(List.of(F13.instructions().applyActions(List.of())))
                .build().writeTo(b);
        byte[] actions = ByteBufUtil.decodeHexDump(actionsHex);
        b.writeBytes(actions);
        b.setShort(b.writerIndex() - actions.length - 6, 8 + actions.length); // the instruction's len
        b.setShort(2, b.readableBytes());
        return b;
    }

    private static FlowMod read(ByteBuf b) throws Exception {
        NxFinTimeoutWire.toStandIns(b, 0);
        return FlowModCodec.decode((OFFlowMod) OFFactories.getGenericReader().readFrom(b));
    }

    @Test
    void aFlowModsFinTimeoutDecodes() throws Exception {
        FlowMod m = read(flowMod(FIN_5_9 + OUTPUT_1));
        assertThat(m.applyActions()).containsExactly(new OfAction.FinTimeout(5, 9), new OfAction.Output(1));
    }

    @Test
    void aGenuineSetQueueIsStillRefused() {
        assertThatThrownBy(() -> read(flowMod(SET_QUEUE_7 + OUTPUT_1))).isInstanceOf(OfCodecException.class);
    }

    @Test
    void aFlowStatsReplyCarriesOvssBytes() {
        FlowStats s = new FlowStats(0, 10, Match.ANY, 0, 0, 0, Set.of(), List.of(new Instruction.ApplyActions(
                List.of(new OfAction.FinTimeout(5, 9), new OfAction.Output(1)))), 0, 0, 0, 0);
        ByteBuf b = Unpooled.buffer();
        F13.buildFlowStatsReply().setXid(3).setEntries(List.of(FlowModCodec.encode(s, F13))).build().writeTo(b);
        assertThat(ByteBufUtil.hexDump(b)).contains(SET_QUEUE_7.substring(0, 16)).doesNotContain(FIN_5_9);
        NxFinTimeoutWire.fromStandInsInReply(b, 0);
        assertThat(ByteBufUtil.hexDump(b)).contains(FIN_5_9 + OUTPUT_1_NO_MAX_LEN);

        ByteBuf b15 = MultipartWire.flowStats15(s, OFFactories.getFactory(OFVersion.OF_15));
        assertThat(ByteBufUtil.hexDump(b15)).contains(FIN_5_9 + OUTPUT_1_NO_MAX_LEN);
    }
}
