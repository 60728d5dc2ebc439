package dev.jvswitch.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U64;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.openflow.codec.OfError;
import dev.jvswitch.openflow.codec.TlvTableWire;

/**
 * Nicira's TLV table messages byte by byte with a raw client: what {@code ovs-ofctl} cannot send
 * (a bad command, a mod from a slave) gets OVS's error as a Nicira experimenter error (type
 * 0xffff, its code, vendor 0x2320), a request after a mod sees the mod, and the reply's layout is
 * {@code nx_tlv_table_reply}'s.
 */
class TlvTableWireTest {
    private TestChannel ch;

    @BeforeEach
    void start() {
        ch = TestChannel.start(2);
    }

    @AfterEach
    void stop() {
        ch.close();
    }

    private static byte[] bytes(ByteBuf b) {
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private static byte[] mod(long xid, int command, TlvMap.Mapping... maps) {
        return bytes(TlvTableWire.encodeMod(ByteBufAllocator.DEFAULT, 4, xid,
                new TlvTableWire.Mod(command, List.of(maps))));
    }

    /**
     * Type, code and the next 32 bits (an experimenter error's experimenter id) of the error
     * {@code b}, which must answer {@code xid}.
     */
    private static long[] nxError(byte[] b, long xid) {
        ByteBuf e = Unpooled.wrappedBuffer(b);
        assertThat(e.getUnsignedByte(1)).as("OFPT_ERROR").isEqualTo((short) 1);
        assertThat(e.getUnsignedInt(4)).isEqualTo(xid);
        return new long[] {e.getUnsignedShort(8), e.getUnsignedShort(10), e.getUnsignedInt(12)};
    }

    @Test
    void modThenRequestSeesTheMapAndTheReplyHasOvsLayout() throws Exception {
        try (OfTestClient c = OfTestClient.connect(ch.port, OFVersion.OF_13)) {
            c.sendRaw(mod(5, TlvTableWire.ADD, new TlvMap.Mapping(0x102, 0x80, 4, 0),
                    new TlvMap.Mapping(0xffff, 1, 4, 63)));
            c.sendRaw(bytes(TlvTableWire.encodeRequest(ByteBufAllocator.DEFAULT, 4, 6)));
            ByteBuf r = Unpooled.wrappedBuffer(c.readRaw());
            assertThat(r.getUnsignedByte(1)).as("no error before the reply").isEqualTo((short) 4);
            assertThat(r.getUnsignedInt(4)).isEqualTo(6);
            assertThat(r.getUnsignedShort(2)).isEqualTo(16 + 16 + 2 * 8);
            assertThat(r.getUnsignedInt(8)).isEqualTo(0x2320);
            assertThat(r.getUnsignedInt(12)).isEqualTo(TlvTableWire.NXT_TLV_TABLE_REPLY);
            assertThat(r.getUnsignedInt(16)).as("max_option_space").isEqualTo(256);
            assertThat(r.getUnsignedShort(20)).as("max_fields").isEqualTo(64);
            assertThat(TlvTableWire.decodeReply(r)).containsExactly(new TlvMap.Mapping(0x102, 0x80, 4, 0),
                    new TlvMap.Mapping(0xffff, 1, 4, 63));

            c.sendRaw(mod(7, TlvTableWire.DELETE, new TlvMap.Mapping(0, 0, 0, 63), new TlvMap.Mapping(0, 0, 0, 9)));
            c.sendRaw(bytes(TlvTableWire.encodeRequest(ByteBufAllocator.DEFAULT, 4, 8)));
            assertThat(TlvTableWire.decodeReply(Unpooled.wrappedBuffer(c.readRaw())))
                    .as("deleted by index, an unmapped index ignored, as OVS")
                    .containsExactly(new TlvMap.Mapping(0x102, 0x80, 4, 0));
            c.sendRaw(mod(9, TlvTableWire.CLEAR));
            c.sendRaw(bytes(TlvTableWire.encodeRequest(ByteBufAllocator.DEFAULT, 4, 10)));
            assertThat(TlvTableWire.decodeReply(Unpooled.wrappedBuffer(c.readRaw()))).isEmpty();
        }
    }

    @Test
    void badModsGetNiciraErrors() throws Exception {
        try (OfTestClient c = OfTestClient.connect(ch.port, OFVersion.OF_13)) {
            c.sendRaw(mod(11, 3, new TlvMap.Mapping(0x102, 0x80, 4, 0)));
            assertThat(nxError(c.readRaw(), 11)).containsExactly(0xffff, OfError.NXTTMFC_BAD_COMMAND.code(), 0x2320);
            c.sendRaw(mod(12, TlvTableWire.ADD, new TlvMap.Mapping(0x102, 0x80, 6, 0)));
            assertThat(nxError(c.readRaw(), 12)).containsExactly(0xffff, 17, 0x2320);
            c.sendRaw(mod(13, TlvTableWire.ADD, new TlvMap.Mapping(0x102, 0x80, 128, 0)));
            assertThat(nxError(c.readRaw(), 13)).as("longer than OVS's 124 bytes")
                    .containsExactly(0xffff, 17, 0x2320);
            c.sendRaw(mod(14, TlvTableWire.ADD, new TlvMap.Mapping(0x102, 0x80, 4, 64)));
            assertThat(nxError(c.readRaw(), 14)).containsExactly(0xffff, 18, 0x2320);
            byte[] torn = mod(15, TlvTableWire.ADD, new TlvMap.Mapping(0x102, 0x80, 4, 0));
            byte[] shorter = java.util.Arrays.copyOf(torn, torn.length - 4);
            shorter[3] = (byte) shorter.length;
            c.sendRaw(shorter);
            assertThat(nxError(c.readRaw(), 15)).as("OFPBRC_BAD_LEN").startsWith(1, 6);
        }
        assertThat(ch.backend.tlvMaps().get("br0").size()).as("nothing refused was applied").isZero();
    }

    @Test
    void aSlaveMayReadTheMapButNotEditIt() throws Exception {
        try (OfTestClient c = OfTestClient.connect(ch.port, OFVersion.OF_13)) {
            c.send(c.f.buildRoleRequest().setXid(1).setRole(OFControllerRole.ROLE_SLAVE)
                    .setGenerationId(U64.of(1)).build());
            c.read();
            c.sendRaw(mod(2, TlvTableWire.ADD, new TlvMap.Mapping(0x102, 0x80, 4, 0)));
            assertThat(nxError(c.readRaw(), 2)).as("OFPBRC_IS_SLAVE").startsWith(1, 10);
            c.sendRaw(bytes(TlvTableWire.encodeRequest(ByteBufAllocator.DEFAULT, 4, 3)));
            assertThat(TlvTableWire.decodeReply(Unpooled.wrappedBuffer(c.readRaw()))).isEmpty();
        }
    }
}
