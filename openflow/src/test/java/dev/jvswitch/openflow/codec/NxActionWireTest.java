package dev.jvswitch.openflow.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.action.OfAction;

/**
 * Nicira actions whose length field lies: each is refused with BAD_LEN, never read from the next
 * action's bytes or past the message (an exception other than the codec's would end the
 * controller's connection instead of answering this one message).
 */
class NxActionWireTest {
    /** NXAST_REG_LOAD of 0x1 into reg0[0..31]: 24 bytes. */
    private static final String REG_LOAD = "ffff0018" + "00002320" + "0007" + "001f" + "00010004" + "0000000000000001";
    /** The same with a length of 16: the 8-byte value is not inside it. */
    private static final String SHORT_REG_LOAD = "ffff0010" + "00002320" + "0007" + "001f" + "00010004";
    /** The head of an NXAST_NAT with nat(src=A): its length is the %s. */
    private static final String NAT_HEAD = "ffff" + "%s" + "00002320" + "0024" + "0000" + "0001" + "0001";
    /** ct(commit) holding nat(src=10.1.1.240): 24 + 24 bytes. */
    private static final String CT_NAT = "ffff0030" + "00002320" + "0023" + "0001" + "00000000" + "0000" + "ff"
            + "000000" + "0000" + String.format(NAT_HEAD, "0018") + "0a0101f0" + "00000000";
    /** output:1 (OpenFlow 1.3+): 16 bytes. */
    private static final String OUTPUT_1 = "00000010" + "00000001" + "ffff" + "000000000000";

    @Test
    void aWellFormedLoadDecodes() {
        List<OfAction> actions = decode(REG_LOAD + OUTPUT_1);
        assertThat(actions).hasSize(2);
        assertThat(actions.get(0)).isInstanceOf(OfAction.Load.class);
    }

    @Test
    void aLoadShorterThanItsFieldsAtTheEndIsBadLen() {
        assertBadLen(SHORT_REG_LOAD);
    }

    @Test
    void aLoadShorterThanItsFieldsDoesNotReadTheNextAction() {
        // Before, the value was taken from the output action's first 8 bytes.
        assertBadLen(SHORT_REG_LOAD + OUTPUT_1);
    }

    @Test
    void aNatWhoseLengthLiesIsBadLen() {
        // ct(commit,nat(src=10.1.1.240)): the ct action then its nested NXAST_NAT, whose length
        // says 8 (shorter than its own fixed part) and then 40 (past the ct action).
        assertThat(decode(CT_NAT)).hasSize(1);
        String ct = CT_NAT.substring(0, 48);
        assertBadLen(ct + String.format(NAT_HEAD, "0008") + "0a0101f0" + "00000000");
        assertBadLen(ct + String.format(NAT_HEAD, "0028") + "0a0101f0" + "00000000");
    }

    @Test
    void everyByteMutationIsDecodedOrRefusedByTheCodec() {
        for (String hex : List.of(REG_LOAD + OUTPUT_1, CT_NAT + OUTPUT_1)) {
            mutateEachByte(HexFormat.of().parseHex(hex));
        }
    }

    private static void mutateEachByte(byte[] good) {
        int[] values = {0x00, 0x07, 0x08, 0x10, 0x18, 0x7f, 0xff};
        for (int i = 0; i < good.length; i++) {
            for (int v : values) {
                byte[] bad = good.clone();
                bad[i] = (byte) v;
                ByteBuf b = Unpooled.wrappedBuffer(bad);
                try {
                    NxActionWire.decode(b, 0, bad.length);
                } catch (OfCodecException expected) {
                    // refused with an OpenFlow error: what the peer is sent
                } catch (RuntimeException e) {
                    throw new AssertionError("byte " + i + " = 0x" + Integer.toHexString(v) + ": " + e, e);
                }
            }
        }
    }

    private static List<OfAction> decode(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        return NxActionWire.decode(Unpooled.wrappedBuffer(bytes), 0, bytes.length);
    }

    private static void assertBadLen(String hex) {
        assertThatThrownBy(() -> decode(hex)).isInstanceOfSatisfying(OfCodecException.class,
                e -> assertThat(e.error()).isEqualTo(OfError.BAD_ACTION_BAD_LEN));
    }
}
