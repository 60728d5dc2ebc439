package dev.jvswitch.openflow.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.group.Bucket;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.group.GroupType;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.mod.Instruction;
import dev.jvswitch.ofproto.syntax.FlowSyntax;

/**
 * OpenFlow 1.3/1.4 group mods read by hand: only those with an action openflowj cannot read come
 * here; buckets keep their weight (select only) and watches; every malformed length is refused
 * with the group error OVS answers, never read past; the description written back decodes (as a
 * group mod with the same buckets) to the same group.
 */
class Group13WireTest {
    private static final byte[] RESUBMIT_37 = {(byte) 0xff, (byte) 0xff, 0, 16, 0, 0, 0x23, 0x20, 0, 14,
        (byte) 0xff, (byte) 0xf8, 37, 0, 0, 0};
    private static final byte[] OUTPUT_2 = {0, 0, 0, 16, 0, 0, 0, 2, (byte) 0xff, (byte) 0xe5, 0, 0, 0, 0, 0, 0};

    /** A 1.3 group mod of {@code command} and {@code type} with one bucket per action list. */
    private static ByteBuf mod(int command, int type, byte[]... buckets) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(4).writeByte(15).writeShort(0).writeInt(9);
        b.writeShort(command).writeByte(type).writeByte(0).writeInt(5);
        int weight = 10;
        for (byte[] actions : buckets) {
            b.writeShort(16 + actions.length).writeShort(weight).writeInt(-1).writeInt(-1).writeZero(4);
            b.writeBytes(actions);
            weight += 10;
        }
        b.setShort(2, b.readableBytes());
        return b;
    }

    private static List<dev.jvswitch.ofproto.action.OfAction> actions(String text) {
        return ((Instruction.ApplyActions) FlowSyntax.parseAdd("actions=" + text).instructions().get(0)).actions();
    }

    @Test
    void onlyBucketsOpenflowjCannotReadComeHere() {
        assertThat(Group13Wire.needsNx(mod(0, 0, OUTPUT_2, OUTPUT_2))).isFalse();
        assertThat(Group13Wire.needsNx(mod(0, 0, OUTPUT_2, RESUBMIT_37))).isTrue();
    }

    @Test
    void bucketsKeepTheirActionsAndASelectGroupItsWeights() {
        GroupMod select = Group13Wire.decodeMod(mod(0, 1, OUTPUT_2, RESUBMIT_37));
        assertThat(select.command()).isEqualTo(GroupMod.Command.ADD);
        Group g = select.group();
        assertThat(g.groupId()).isEqualTo(5);
        assertThat(g.type()).isEqualTo(GroupType.SELECT);
        assertThat(g.buckets()).extracting(Bucket::bucketId).containsExactly(0, 1);
        assertThat(g.buckets()).extracting(Bucket::weight).containsExactly(10, 20);
        assertThat(g.buckets().get(0).actions()).isEqualTo(actions("output:2"));
        assertThat(g.buckets().get(1).actions()).isEqualTo(actions("resubmit(,37)"));
        assertThat(g.buckets().get(1).watchesPort()).isFalse();
        Group all = Group13Wire.decodeMod(mod(1, 0, RESUBMIT_37)).group();
        assertThat(all.buckets().get(0).weight()).isEqualTo(Bucket.DEFAULT_WEIGHT);

        // The description written back, read as a group mod's buckets, is the same group.
        ByteBuf desc = Group13Wire.descReply(4, 1, List.of(g)).get(0);
        int entry = 16;
        ByteBuf again = Unpooled.buffer();
        again.writeByte(4).writeByte(15).writeShort(0).writeInt(9).writeShort(0).writeByte(1).writeByte(0).writeInt(5);
        again.writeBytes(desc, entry + 8, desc.getUnsignedShort(entry) - 8);
        again.setShort(2, again.readableBytes());
        assertThat(Group13Wire.decodeMod(again).group().buckets()).isEqualTo(g.buckets());
    }

    @Test
    void malformedLengthsAndUnknownCommandsAreRefusedAsOvsRefusesThem() {
        ByteBuf runsOver = mod(0, 0, RESUBMIT_37);
        runsOver.setShort(16, 48);
        assertError(runsOver, OfError.GROUP_MOD_FAILED_BAD_BUCKET);
        ByteBuf tooShort = mod(0, 0, RESUBMIT_37);
        tooShort.setShort(16, 8);
        assertError(tooShort, OfError.GROUP_MOD_FAILED_BAD_BUCKET);
        ByteBuf truncated = mod(0, 0, RESUBMIT_37);
        truncated.writeZero(8);
        truncated.setShort(2, truncated.readableBytes());
        assertError(truncated, OfError.GROUP_MOD_FAILED_BAD_BUCKET);
        assertError(mod(7, 0, RESUBMIT_37), OfError.GROUP_MOD_FAILED_BAD_COMMAND);
        assertError(mod(0, 9, RESUBMIT_37), OfError.GROUP_MOD_FAILED_BAD_TYPE);
        ByteBuf header = Unpooled.buffer().writeByte(4).writeByte(15).writeShort(12).writeInt(1).writeInt(0);
        assertError(header, OfError.BAD_REQUEST_BAD_LEN);
        assertThat(Group13Wire.decodeMod(mod(2, 0)).command()).isEqualTo(GroupMod.Command.DELETE);
    }

    private static void assertError(ByteBuf m, OfError e) {
        assertThatThrownBy(() -> Group13Wire.decodeMod(m)).isInstanceOf(OfCodecException.class)
                .satisfies(t -> assertThat(((OfCodecException) t).error()).isEqualTo(e));
    }
}
