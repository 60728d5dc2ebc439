package dev.jvswitch.openflow.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.xlate.ControllerOutput;
import dev.jvswitch.ofproto.xlate.FrozenState;

/**
 * The hand-written decoders (Nicira flow mods, 1.5 packet-outs, NXT_RESUME) on every one-byte
 * change and every truncation of messages that decode: each either decodes or throws the codec's
 * exception, which becomes an OpenFlow error for that message. Anything else (an index past the
 * buffer, a null, an arithmetic error) would be a decoder trusting what a peer wrote.
 */
class HandDecoderMutationTest {
    private static final int[] VALUES = {0x00, 0x01, 0x07, 0x08, 0x10, 0x7f, 0x80, 0xff};

    private static final String[] FLOWS = {
        "table=3,priority=6,reg0=0x1,reg9=0x3/0xff,metadata=0x1 actions=set_field:0x2->reg15,resubmit(,8)",
        "table=25,priority=50,arp,metadata=0x1,arp_tpa=10.9.0.2,arp_op=1 actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],"
                + "set_field:00:00:00:00:01:02->eth_src,set_field:2->arp_op,move:NXM_NX_REG14[]->NXM_NX_REG15[],"
                + "resubmit(,37)",
        "table=64,priority=100,reg10=0x1/0x1,reg15=0x1,metadata=0x1 actions=push:NXM_OF_IN_PORT[],"
                + "set_field:0xffff->in_port,resubmit(,65),pop:NXM_OF_IN_PORT[]",
        "table=9,priority=8,ct_state=+est+trk,ct_label=0x1/0x1,ip actions=ct(commit,zone=NXM_NX_REG13[0..15],"
                + "exec(set_field:0x1/0x1->ct_mark,move:NXM_NX_XXREG0[0..31]->NXM_NX_CT_LABEL[96..127])),ct_clear,output:1",
        "table=9,priority=9,conj_id=7,ip,nw_src=10.0.0.0/8 actions=conjunction(12,1/2),note:00.01.02.03.04.05",
        "table=1,priority=5,tcp actions=ct(commit,zone=1,nat(src=10.1.1.240-10.1.1.250:1000-2000),alg=ftp),output:2",
        "table=2,priority=5,udp,reg0=0x1 actions=set_field:53->udp_src,clone(set_field:0x3->reg1,resubmit(,3))",
        "table=4,priority=5,tcp actions=learn(table=69,delete_learned,cookie=0x4a3c0c1b,OXM_OF_METADATA[],"
                + "eth_type=0x800,NXM_OF_IP_SRC[],ip_dst=10.0.0.1,nw_proto=6,NXM_OF_TCP_SRC[]=NXM_OF_TCP_DST[],"
                + "load:0x1->NXM_NX_REG10[7]),learn(table=2,limit=10,result_dst=NXM_NX_REG0[5],"
                + "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[])",
        "table=21,priority=74,ip,metadata=0x1 actions=dec_ttl(1,2),resubmit(CONTROLLER,22)",
    };

    /** A flow mod as OVS 3.1's ovs-ofctl writes ct(commit,zone=reg13,nat(src),exec(...)). */
    private static final String OVS_FLOW_MOD = "060e00a800000007000000000000000000000000000000001a00000000000064ffffff"
            + "ffffffffffffffffff000000000001002280000a0208000001010800000002000020028000040800000000000000010000000000"
            + "000004005000000000ffff0038000023200023000100011a04000fff0000000000ffff0010000023200024000000010000001900"
            + "100001d7080000000000000001ffff001000002320000efff81b000000";

    private static final String PACKET_OUT = "060d004600000007" + "ffffffff" + "0010" + "0000"
            + "0001" + "0014" + "80000004" + "00000003" + "00010004" + "00000005" + "00000000"
            + "ffff001000002320000efff808000000"
            + "ffffffffffff" + "000000000001" + "0806";

    @Test
    void nxFlowMods() {
        List<byte[]> messages = new ArrayList<>();
        messages.add(HexFormat.of().parseHex(OVS_FLOW_MOD));
        for (String text : FLOWS) {
            messages.add(flowMod(FlowSyntax.parseAdd(text)));
        }
        for (byte[] m : messages) {
            assertOnlyCodecErrors(m, true, b -> NxFlowModWire.decode(Unpooled.wrappedBuffer(b), 6));
        }
    }

    @Test
    void packetOuts15() {
        assertOnlyCodecErrors(HexFormat.of().parseHex(PACKET_OUT), true,
                b -> PacketOut15Wire.decode(Unpooled.wrappedBuffer(b)));
    }

    @Test
    void resumes() {
        FlowKey flow = new FlowKey();
        flow.set(FlowField.REG0, 5);
        flow.set(FlowField.METADATA, 0x1);
        FrozenState state = new FrozenState("br-int", 3, List.of(
                new FrozenState.Frame(10, List.of(new OfAction.Resubmit(dev.jvswitch.ofproto.port.OfPorts.IN_PORT, 11))),
                new FrozenState.Frame(8, List.of(new OfAction.Output(2)))),
                FrozenState.zeroPipeline(), new long[] {7, 0});
        ControllerOutput.Pin pin = new ControllerOutput.Pin(1, 0, new byte[] {1, 2, 3}, flow, true, state);
        ControllerOutput out = new ControllerOutput("br-int", 3, 10, 0xabcdL, false, 65535, false, 0, null, pin);
        ByteBuf b = NxPacketIn2.encode(UnpooledByteBufAllocator.DEFAULT, 6, 9, out, new byte[60], 60);
        byte[] msg = new byte[b.readableBytes()];
        b.getBytes(0, msg);
        byte[] body = Arrays.copyOfRange(msg, 16, msg.length);
        assertOnlyCodecErrors(body, false, x -> NxPacketIn2.decodeResume(x, "br-int"));
    }

    private static byte[] flowMod(FlowMod mod) {
        ByteBuf m = NxFlowModWireTest.writtenAsAdd(mod);
        byte[] a = new byte[m.readableBytes()];
        m.getBytes(0, a);
        NxFlowModWire.decode(Unpooled.wrappedBuffer(a), 6); // the unmutated message decodes
        return a;
    }

    /**
     * Every one-byte change and every truncation of {@code good} through {@code decoder}: only
     * {@link OfCodecException} may come out. {@code header}: an OpenFlow header whose length
     * field a truncation keeps true.
     */
    private static void assertOnlyCodecErrors(byte[] good, boolean header, Consumer<byte[]> decoder) {
        List<String> wrong = new ArrayList<>();
        for (int i = header ? 8 : 0; i < good.length; i++) {
            for (int v : VALUES) {
                byte[] bad = good.clone();
                bad[i] = (byte) v;
                run(decoder, bad, "byte " + i + " = 0x" + Integer.toHexString(v), wrong);
            }
        }
        for (int n = header ? 8 : 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            if (header) {
                cut[2] = (byte) (n >>> 8);
                cut[3] = (byte) n;
            }
            run(decoder, cut, "cut at " + n, wrong);
        }
        assertThat(wrong).as("of %d bytes: %s", good.length, HexFormat.of().formatHex(good)).isEmpty();
    }

    private static void run(Consumer<byte[]> decoder, byte[] bytes, String what, List<String> wrong) {
        try {
            decoder.accept(bytes);
        } catch (OfCodecException expected) {
            // an OpenFlow error for this message
        } catch (RuntimeException | StackOverflowError e) {
            if (wrong.size() < 12) {
                StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
                wrong.add(what + ": " + e + " at " + at);
            }
        }
    }
}
