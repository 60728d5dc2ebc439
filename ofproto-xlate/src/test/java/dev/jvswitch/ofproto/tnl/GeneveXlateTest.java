package dev.jvswitch.ofproto.tnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowPrinter;
import dev.jvswitch.ofproto.xlate.XlateResult;
import dev.jvswitch.pmd.tunnel.UdpTunnel;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Translation of Geneve options through a bridge's TLV map, as OVS: {@code set_field} to a
 * mapped {@code tun_metadataN} before output to a Geneve port puts the option in the pushed
 * header (critical flag and all); a popped packet's raw options become {@code tun_metadataN}
 * for the tables, and the megaflow matches them raw, each option's header exactly and its data
 * only as far as the tables read it (OVS's per-option mask); an unknown critical option
 * drops the packet, an unknown other one is ignored.
 */
class GeneveXlateTest {
    private static final String OVN = "{class=0x102,type=0x80,len=4}->tun_metadata0";

    private final TunnelSwitch sw = new TunnelSwitch();

    @BeforeEach
    void geneve() {
        sw.ports.set(0, new TunnelPort("vx0", "br-int", 10, TestGeneve.of("vx0", "remote_ip", "192.0.2.2", "key",
                "100")));
        sw.apply().neighbourKnown();
    }

    @AfterEach
    void close() {
        sw.close();
    }

    private static byte[] inner() {
        return Frames.udp4().src("00:00:00:00:00:01").dst("00:00:00:00:00:02").ip("10.0.0.1", "10.0.0.2")
                .ports(1000, 2000).build();
    }

    /** The key of a popped Geneve packet on vx0 with the raw options {@code words} ({@code length} bytes). */
    private FlowKey popped(int length, long... words) {
        FlowKey k = sw.key(inner(), 10);
        k.set(FlowField.TUN_ID, 100).set(FlowField.TUN_SRC, 0xc0000202L).set(FlowField.TUN_DST, 0xc0000201L)
                .set(FlowField.TUN_FLAGS, UdpTunnel.FLAG_KEY | UdpTunnel.FLAG_UDPIF).set(FlowField.TUN_TTL, 64)
                .set(FlowField.TUN_METADATA_LEN, length);
        System.arraycopy(words, 0, k.words(), FlowKey.TUN_METADATA_WORD, words.length);
        k.tunnelMetadataWritten();
        return k;
    }

    @Test
    void setFieldToAMappedFieldPushesTheOption() {
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse(OVN));
        sw.flows("br-int", "in_port=1,actions=set_field:0x10002->tun_metadata0,output:10");
        assertThat(sw.xlate(sw.key(inner(), 1)).actions().toString()).startsWith("tnl_push(tnl_port(10),header(size=58,"
                + "type=5,eth(dst=aa:bb:cc:00:00:01,src=aa:55:aa:55:00:00,dl_type=0x0800),ipv4(src=192.0.2.1,"
                + "dst=192.0.2.2,proto=17,tos=0,ttl=64,frag=0x4000),udp(src=0,dst=6081,csum=0x0),"
                + "geneve(crit,vni=0x64,options({class=0x102,type=0x80,len=4,0x10002}))),out_port(2)),2");
        // Unmapped, the field is not sent.
        sw.tunnels.tlvMaps().delete("br-int", null);
        assertThat(sw.xlate(sw.key(inner(), 1)).actions().toString()).contains("geneve(vni=0x64))");
    }

    @Test
    void theOamFlagOfTheFlowIsPushed() {
        sw.flows("br-int", "in_port=1,actions=output:10");
        FlowKey oam = sw.key(inner(), 1).set(FlowField.TUN_FLAGS, UdpTunnel.FLAG_OAM);
        XlateResult r = sw.xlate(oam);
        assertThat(r.actions().toString()).contains("geneve(oam,vni=0x64))");
        assertThat(r.mask().get(FlowField.TUN_FLAGS) & UdpTunnel.FLAG_OAM).as("the megaflow looks at it").isNotZero();
        assertThat(sw.xlate(sw.key(inner(), 1)).actions().toString()).contains("geneve(vni=0x64))");
    }

    @Test
    void aMappedOptionIsMatchedAndTheMegaflowMatchesOnlyTheOptionBitsTheTablesRead() {
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse(OVN));
        sw.flows("br-int", "priority=10,in_port=10,tun_metadata0=0x10002/0xffff,actions=output:1",
                "priority=1,actions=drop");
        FlowKey k = popped(8, 0x0102_8001_0001_0002L);
        XlateResult r = sw.xlate(k);
        assertThat(r.actions().toString()).isEqualTo("1");
        // OVS's per-option mask: the option's header exact, its data as far as tun_metadata0 was matched.
        assertThat(FlowPrinter.format(k, r.mask())).contains("tunnel(tun_id=0x64,src=192.0.2.2,dst=192.0.2.1,")
                .contains(",geneve({class=0x102,type=0x80,len=4,0x10002/0xffff}),flags(");
        assertThat(r.mask().words()[FlowKey.TUN_METADATA_WORD]).isEqualTo(0xffff_ff1f_0000_ffffL);
        assertThat(r.mask().get(FlowField.TUN_METADATA_LEN)).isEqualTo(0xff);
        assertThat(r.mask().get(FlowField.TUN_FLAGS) & UdpTunnel.FLAG_UDPIF).isNotZero();
        assertThat(sw.xlate(popped(8, 0x0102_8001_0001_0003L)).actions().toString()).isEqualTo("drop");
        // No options at all: the field reads 0.
        assertThat(sw.xlate(popped(0)).actions().toString()).isEqualTo("drop");
    }

    @Test
    void anUnmappedOptionsDataAndAnUnreadFieldAreNotInTheMegaflow() {
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse(OVN + ",{class=0xffff,type=1,len=4}->tun_metadata1"));
        sw.flows("br-int", "priority=10,in_port=10,tun_metadata0=0x10002,actions=output:1", "priority=1,actions=drop");
        // Options: an unmapped one (class 0x103), OVN's, and tun_metadata1 which no rule reads.
        FlowKey k = popped(24, 0x0103_0001_dead_beefL, 0x0102_8001_0001_0002L, 0xffff_0101_1234_5678L);
        XlateResult r = sw.xlate(k);
        assertThat(r.actions().toString()).isEqualTo("1");
        long[] m = r.mask().words();
        assertThat(m[FlowKey.TUN_METADATA_WORD]).as("unmapped: header only").isEqualTo(0xffff_ff1f_0000_0000L);
        assertThat(m[FlowKey.TUN_METADATA_WORD + 1]).as("matched: header and data").isEqualTo(0xffff_ff1f_ffff_ffffL);
        assertThat(m[FlowKey.TUN_METADATA_WORD + 2]).as("mapped, not read: header only")
                .isEqualTo(0xffff_ff1f_0000_0000L);
        assertThat(m[FlowKey.TUN_METADATA_WORD + 3]).isZero();
        assertThat(FlowPrinter.format(k, r.mask())).contains("geneve({class=0x103,type=0,len=4}"
                + "{class=0x102,type=0x80,len=4,0x10002}{class=0xffff,type=0x1,len=4})");
        // Another packet with the same options but other data where the megaflow does not look takes it too.
        XlateResult other = sw.xlate(popped(24, 0x0103_0001_0000_0001L, 0x0102_8001_0001_0002L,
                0xffff_0101_0000_0002L));
        assertThat(other.mask().words()).isEqualTo(m);
        assertThat(other.actions().toString()).isEqualTo("1");
    }

    @Test
    void theMegaflowIsTheOneOvsInstallsForTheSamePacketAndRule() {
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse(OVN + ",{class=0xffff,type=1,len=4}->tun_metadata1"));
        sw.flows("br-int", "priority=10,in_port=10,tun_metadata0=0x10002/0xffff,actions=output:1",
                "priority=1,actions=drop");
        FlowKey k = popped(24, 0x0103_0001_dead_beefL, 0x0102_8001_0001_0002L, 0xffff_0101_1234_5678L);
        // OVS 3.1 (dummy datapath, geneve port gnv0 on br-int, the same TLV map, rule and frame), dpctl/dump-flows:
        // tunnel(tun_id=0x64,src=192.0.2.2,dst=192.0.2.1,geneve({class=0x103,type=0,len=4}{class=0x102,type=0x80,
        // len=4,0x10002/0xffff}{class=0xffff,type=0x1,len=4}),flags(-df-csum+key)),recirc_id(0),in_port(6081),...
        assertThat(FlowPrinter.format(k, sw.xlate(k).mask())).contains("tunnel(tun_id=0x64,src=192.0.2.2,"
                + "dst=192.0.2.1,geneve({class=0x103,type=0,len=4}{class=0x102,type=0x80,len=4,0x10002/0xffff}"
                + "{class=0xffff,type=0x1,len=4}),flags(-df-csum+key))");
    }

    @Test
    void anUnknownCriticalOptionDropsAndAnUnknownOtherOneIsIgnored() {
        sw.flows("br-int", "in_port=10,actions=output:1");
        assertThat(sw.xlate(popped(8, 0x0102_8001_0001_0002L)).actions().toString()).isEqualTo("drop");
        assertThat(sw.tunnels.coverage()).containsEntry("tnl_geneve_critical_option_drop", 1L);
        assertThat(sw.xlate(popped(8, 0x0102_0001_0001_0002L)).actions().toString()).isEqualTo("1");
        // Mapped, the critical option is known: no drop.
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse(OVN));
        assertThat(sw.xlate(popped(8, 0x0102_8001_0001_0002L)).actions().toString()).isEqualTo("1");
    }

    @Test
    void aTraceOfAGenevePacketPopsItAndMatchesItsOptionInTheSecondPass() {
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse(OVN));
        sw.flows("br-int", "in_port=10,tun_metadata0=0x10002,actions=output:2");
        byte[] in = Frames.udp4().src("00:00:00:00:00:02").dst("00:00:00:00:00:01").ip("10.0.0.2", "10.0.0.1")
                .ports(2000, 1000).build();
        byte[] option = FrameBuilder.geneveOption(0x0102, 0x80, new byte[] {0, 1, 0, 2});
        byte[] outer = Frames.udp4().src(TunnelSwitch.REMOTE_MAC_TEXT).dst(TunnelSwitch.LOCAL_MAC_TEXT)
                .ip("192.0.2.2", "192.0.2.1").ports(40000, 6081).udpChecksum(false).geneve(100, false, option, in)
                .build();
        String t = sw.ofproto.tracer().trace("br-phy", "in_port=1", HexFormat.of().formatHex(outer));
        int second = t.indexOf("tnl_pop(10) - the decapsulated packet");
        assertThat(second).as(t).isPositive();
        assertThat(t.substring(0, second)).contains("Datapath actions: tnl_pop(10)\n");
        assertThat(t.substring(second)).contains("tun_metadata0=0x10002").endsWith("Datapath actions: 3\n");
    }

    @Test
    void anAbsentOptionIsNotAZeroOne() {
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse(OVN + ",{class=0xffff,type=1,len=4}->tun_metadata1"));
        sw.flows("br-int", "priority=10,in_port=10,tun_metadata0=0,actions=output:1", "priority=1,actions=drop");
        assertThat(sw.xlate(popped(8, 0x0102_8001_0000_0000L)).actions().toString()).isEqualTo("1");
        assertThat(sw.xlate(popped(0)).actions().toString()).as("no options").isEqualTo("drop");
        assertThat(sw.xlate(popped(8, 0xffff_0101_0000_0000L)).actions().toString()).as("another option")
                .isEqualTo("drop");
        // A rule that only names the field under a zero mask does not ask for it.
        sw.flows("br-int", "priority=10,in_port=10,tun_metadata0=0/0,actions=output:1", "priority=1,actions=drop");
        assertThat(sw.xlate(popped(0)).actions().toString()).isEqualTo("1");
    }

    @Test
    void onlyPresentOptionsArePushedWhateverTheirValue() {
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse(OVN + ",{class=0xffff,type=1,len=4}->tun_metadata1"));
        sw.flows("br-int", "in_port=1,actions=set_field:0->tun_metadata1,output:10", "in_port=10,actions=in_port");
        assertThat(sw.xlate(sw.key(inner(), 1)).actions().toString())
                .contains("geneve(vni=0x64,options({class=0xffff,type=0x1,len=4,0})))");
        // A popped packet sent on: the options it brought and the tables map, no others.
        assertThat(sw.xlate(popped(16, 0x0103_0001_dead_beefL, 0x0102_8001_0000_0000L)).actions().toString())
                .contains("geneve(crit,vni=0x64,options({class=0x102,type=0x80,len=4,0})))");
        assertThat(sw.xlate(popped(8, 0x0103_0001_dead_beefL)).actions().toString())
                .contains("geneve(vni=0x64))");
    }

    @Test
    void tunMetadataAfterARecirculationIsWhatTheTablesLeftBeforeIt() {
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse(OVN));
        dev.jvswitch.ofproto.Ofctl.addGroup(sw.ofproto, "br-int", "group_id=1,type=select,"
                + "selection_method=dp_hash,bucket=bucket_id=1,actions=resubmit(,1),bucket=bucket_id=2,"
                + "actions=resubmit(,1)");
        sw.flows("br-int", "in_port=10,tun_metadata0=0x10002,actions=set_field:0x7->tun_metadata0,group:1",
                "in_port=10,priority=0,actions=group:1",
                "table=1,tun_metadata0=0x7,actions=output:1", "table=1,tun_metadata0=0x10003,actions=output:2",
                "table=1,priority=0,actions=drop");
        for (long data : new long[] {0x0001_0002L, 0x0001_0003L, -1}) {
            FlowKey k = data < 0 ? popped(8, 0xffff_0101_0000_0000L) : popped(8, 0x0102_8001_0000_0000L | data);
            XlateResult first = sw.xlate(k);
            assertThat(first.actions().toString()).startsWith("hash(l4(0)),recirc(");
            if (data >= 0) {
                // The frozen value stands for the option's data: the first megaflow matches it all.
                assertThat(first.mask().words()[FlowKey.TUN_METADATA_WORD]).isEqualTo(0xffff_ff1f_ffff_ffffL);
            }
            // The recirculated key still holds the raw options; the frozen tun_metadata0 is what
            // counts. It carries the dp_hash the datapath's hash action computed.
            XlateResult second = sw.xlate(dev.jvswitch.ofproto.xlate.TestSwitch.recirculated(k,
                    first.recircPoints().get(0)));
            // OpenFlow port 2 is datapath port 3.
            String expected = data == 0x0001_0002L ? "1" : data == 0x0001_0003L ? "3" : "drop";
            assertThat(second.actions().toString()).as("option data %x", data).isEqualTo(expected);
            for (int w = FlowKey.TUN_METADATA_WORD; w < FlowKey.PIPELINE_WORD; w++) {
                assertThat(second.mask().words()[w]).as("recirculated megaflow, word %d", w).isZero();
            }
        }
    }

    /**
     * Options of 8 and 12 bytes (OVS's limit is 124) are mapped: a popped packet keeps all their
     * bytes through the tables and a push, a mapped critical one is known (not dropped), and the
     * megaflow matches the data the push read.
     */
    @Test
    void longerOptionsAreMappedAndKeptWholeThroughAPopAndAPush() {
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse(OVN + ",{class=0xffff,type=2,len=8}->tun_metadata2,"
                + "{class=0xffff,type=0x83,len=12}->tun_metadata3"));
        TlvMap map = sw.tunnels.tlvMaps().get("br-int");
        assertThat(map.dump()).contains(" allocated option space=24")
                .contains(" 0xffff   0x2       8  tun_metadata2").contains(" 0xffff  0x83      12  tun_metadata3");
        // Slot 2 and 3 hold their last 4 bytes; the bytes before them take free slots from the top.
        assertThat(map.extensionSlots(1)).containsExactly(63);
        assertThat(map.extensionSlots(2)).containsExactly(62, 61);
        sw.flows("br-int", "in_port=10,actions=in_port");
        // An 8-byte option, then a critical 12-byte one: 28 bytes.
        FlowKey k = popped(28, 0xffff_0202_1122_3344L, 0x5566_7788_ffff_8303L, 0xaabb_ccdd_eeff_0011L,
                0x2233_4455_0000_0000L);
        XlateResult r = sw.xlate(k);
        assertThat(r.actions().toString()).contains("geneve(crit,vni=0x64,options("
                + "{class=0xffff,type=0x2,len=8,0x1122334455667788}"
                + "{class=0xffff,type=0x83,len=12,0xaabbccddeeff001122334455})))");
        assertThat(FlowPrinter.format(k, r.mask())).contains("geneve({class=0xffff,type=0x2,len=8,0x1122334455667788}"
                + "{class=0xffff,type=0x83,len=12,0xaabbccddeeff001122334455})");
        // Unmapped, the critical option drops the packet.
        sw.tunnels.tlvMaps().delete("br-int", TlvMap.parse("{class=0xffff,type=0x83,len=12}->tun_metadata3"));
        assertThat(sw.xlate(popped(28, 0xffff_0202_1122_3344L, 0x5566_7788_ffff_8303L, 0xaabb_ccdd_eeff_0011L,
                0x2233_4455_0000_0000L)).actions().toString()).isEqualTo("drop");
    }

    private static final String LONG = OVN + ",{class=0xffff,type=2,len=8}->tun_metadata2,"
            + "{class=0xffff,type=0x83,len=12}->tun_metadata3";

    /** A popped packet with an 8-byte option of data {@code first:last} and a 12-byte one {@code aabbccdd eeff0011 2233:last12}. */
    private FlowKey poppedLong(long first, long last, long last12) {
        return popped(28, 0xffff_0202_0000_0000L | first, last << 32 | 0xffff_8303L, 0xaabb_ccdd_eeff_0011L,
                last12 << 32);
    }

    /**
     * A rule matches all of an 8- or 12-byte option's data (exactly or under a mask), not only its
     * last 4 bytes: the flow text re-lays the value into the option's slots through the map, and
     * prints it back whole as ovs-ofctl does.
     */
    @Test
    void rulesMatchLongerOptionsWhole() {
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse(LONG));
        TlvMap map = sw.tunnels.tlvMaps().get("br-int");
        sw.flows("br-int", "priority=10,in_port=10,tun_metadata2=0x1122334455667788,actions=output:1",
                "priority=5,in_port=10,tun_metadata3=0xaabbccdd0000000000330000/0xffffffff0000000000ff0000,"
                        + "actions=output:2", "priority=1,actions=drop");
        FlowKey k = poppedLong(0x1122_3344L, 0x5566_7788L, 0x2233_0000L);
        XlateResult r = sw.xlate(k);
        assertThat(r.actions().toString()).isEqualTo("1");
        assertThat(FlowPrinter.format(k, r.mask())).contains("geneve({class=0xffff,type=0x2,len=8,0x1122334455667788}"
                + "{class=0xffff,type=0x83,len=12}),flags(");
        // The first 4 bytes count: they are not in tun_metadata2's own 32 bits.
        XlateResult other = sw.xlate(poppedLong(0x1122_3345L, 0x5566_7788L, 0x2233_0000L));
        assertThat(other.actions().toString()).as("the 12-byte rule takes it").isEqualTo("3");
        assertThat(FlowPrinter.format(poppedLong(0x1122_3345L, 0x5566_7788L, 0x2233_0000L), other.mask()))
                .contains("{class=0xffff,type=0x2,len=8,0x1122334555667788}{class=0xffff,type=0x83,len=12,"
                        + "0xaabbccddeeff001122330000/0xffffffff0000000000ff0000})");
        assertThat(sw.xlate(poppedLong(0x1122_3345L, 0x5566_7788L, 0x2244_0000L)).actions().toString())
                .as("the 12-byte option's masked byte differs").isEqualTo("drop");
        assertThat(sw.xlate(poppedLong(0, 0x5566_7788L, 0x2233_0000L)).actions().toString()).isEqualTo("3");
        // Printed whole, as ovs-ofctl dump-flows prints them; and read back to the same rule.
        String text = "priority=5,tun_metadata2=0x1122334455667788,tun_metadata3=0xaabbccdd/0xffffffff"
                + " actions=output:1";
        dev.jvswitch.ofproto.mod.FlowMod fm = dev.jvswitch.ofproto.syntax.FlowSyntax.parseAdd(text.replace(' ', ','),
                map);
        String printed = dev.jvswitch.ofproto.syntax.FlowSyntax.format(fm, map);
        assertThat(printed).isEqualTo("cookie=0x0, table=0, " + text);
        assertThat(dev.jvswitch.ofproto.syntax.FlowSyntax.parseAdd(printed, map)).isEqualTo(fm);
        assertThat(dev.jvswitch.ofproto.syntax.FlowSyntax.formatMatch(dev.jvswitch.ofproto.syntax.FlowSyntax
                .parseMatch("tun_metadata2=0", map), 32768, map)).isEqualTo("tun_metadata2=0");
        assertThatThrownBy(() -> dev.jvswitch.ofproto.syntax.FlowSyntax.parseMatch("tun_metadata2=0x112233445566778899",
                map)).hasMessageContaining("out of range for tun_metadata2 (an option of 8 bytes)");
    }

    /**
     * {@code set_field} writes all of an 8- or 12-byte option (under a mask too), which the push
     * then sends whole.
     */
    @Test
    void setFieldWritesLongerOptionsWhole() {
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse(LONG));
        sw.flows("br-int", "in_port=1,actions=set_field:0x1122334455667788->tun_metadata2,"
                + "set_field:0xaabbccddeeff001122334455->tun_metadata3,output:10",
                "in_port=10,actions=set_field:0x99000000000000aa/0xff000000000000ff->tun_metadata2,in_port");
        assertThat(sw.xlate(sw.key(inner(), 1)).actions().toString()).contains("geneve(crit,vni=0x64,options("
                + "{class=0xffff,type=0x2,len=8,0x1122334455667788}"
                + "{class=0xffff,type=0x83,len=12,0xaabbccddeeff001122334455})))");
        assertThat(sw.xlate(poppedLong(0x1122_3344L, 0x5566_7788L, 0x2233_4455L)).actions().toString())
                .contains("options({class=0xffff,type=0x2,len=8,0x99223344556677aa}"
                        + "{class=0xffff,type=0x83,len=12,0xaabbccddeeff001122334455})");
        TlvMap map = sw.tunnels.tlvMaps().get("br-int");
        assertThat(dev.jvswitch.ofproto.syntax.FlowSyntax.format(dev.jvswitch.ofproto.syntax.FlowSyntax.parseAdd(
                "actions=set_field:0x99000000000000aa/0xff000000000000ff->tun_metadata2,"
                        + "set_field:0x1->tun_metadata3", map), map))
                .endsWith("actions=set_field:0x99000000000000aa/0xff000000000000ff->tun_metadata2,"
                        + "set_field:0x1->tun_metadata3");
        // Without the map the same text sets 32 bits: the parser's action cache keeps them apart.
        dev.jvswitch.ofproto.mod.FlowMod plain = dev.jvswitch.ofproto.syntax.FlowSyntax.parseAdd(
                "actions=set_field:0x1->tun_metadata2");
        dev.jvswitch.ofproto.mod.FlowMod whole = dev.jvswitch.ofproto.syntax.FlowSyntax.parseAdd(
                "actions=set_field:0x1->tun_metadata2", map);
        assertThat(whole).isNotEqualTo(plain);
        assertThat(dev.jvswitch.ofproto.syntax.FlowSyntax.parseAdd("actions=set_field:0x1->tun_metadata2"))
                .isEqualTo(plain);
    }

    /**
     * Options longer than the 16 bytes an action's words hold, up to OVS's 124: set whole (a
     * mask too), pushed whole, printed back as they were written.
     */
    @Test
    void setFieldWritesOptionsOfUpTo124BytesWhole() {
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse("{class=0xffff,type=5,len=20}->tun_metadata5,"
                + "{class=0xffff,type=6,len=124}->tun_metadata6"));
        String v20 = "0x" + "a1".repeat(19) + "02";
        String v124 = "0x" + "0102030405060708".repeat(15) + "0a0b0c0d";
        String v124b = "0x" + "0102030405060708".repeat(15) + "0a0b0cff";
        // A 124-byte option does not fit the mbuf headroom a push has (128 bytes): it is matched
        // after the write instead; the 20-byte one is pushed.
        sw.flows("br-int", "priority=1,in_port=1,actions=set_field:" + v20 + "->tun_metadata5,output:10",
                "priority=2,in_port=1,udp,tp_dst=3000,actions=set_field:" + v124 + "->tun_metadata6,resubmit(,1)",
                "table=1,tun_metadata6=" + v124b + ",actions=drop",
                "table=1,tun_metadata6=" + v124 + ",actions=in_port");
        assertThat(sw.xlate(sw.key(inner(), 1)).actions().toString()).contains("options("
                + "{class=0xffff,type=0x5,len=20," + v20 + "})");
        byte[] other = Frames.udp4().src("00:00:00:00:00:01").dst("00:00:00:00:00:02").ip("10.0.0.1", "10.0.0.2")
                .ports(1000, 3000).build();
        assertThat(sw.xlate(sw.key(other, 1)).actions().toString()).isNotEqualTo("drop");
        TlvMap map = sw.tunnels.tlvMaps().get("br-int");
        String masked = "set_field:0x1" + "0".repeat(36) + "ff/0xff" + "0".repeat(36) + "ff->tun_metadata5,"
                + "set_field:0x1->tun_metadata6,set_field:0x12" + "0".repeat(246) + "/0xff" + "0".repeat(246)
                + "->tun_metadata6";
        assertThat(dev.jvswitch.ofproto.syntax.FlowSyntax.format(dev.jvswitch.ofproto.syntax.FlowSyntax.parseAdd(
                "actions=" + masked, map), map)).endsWith("actions=" + masked);
        assertThatThrownBy(() -> dev.jvswitch.ofproto.syntax.FlowSyntax.parseAdd("actions=set_field:0x1"
                + "0".repeat(248) + "->tun_metadata6", map)).hasMessageContaining("an option of 124 bytes");
    }

    /**
     * The trap: an unmapped {@code tun_metadataN} whose slot holds a longer option's bytes. A
     * write into it is ignored, as OVS's {@code tun_metadata_write} ignores a field the map does
     * not name, so it cannot change that option.
     */
    @Test
    void aWriteIntoAnUnmappedFieldCannotChangeALongerOptionsBytes() {
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse(LONG));
        assertThat(sw.tunnels.tlvMaps().get("br-int").slotsOf(2)).containsExactly(63, 2);
        sw.flows("br-int", "in_port=1,actions=set_field:0x1122334455667788->tun_metadata2,"
                + "set_field:0xdeadbeef->tun_metadata63,load:0xbeef->tun_metadata63[0..15],"
                + "move:reg0[]->tun_metadata63[],output:10");
        FlowKey k = sw.key(inner(), 1).set(FlowField.byName("reg0"), 0xf00d);
        assertThat(sw.xlate(k).actions().toString()).contains("options({class=0xffff,type=0x2,len=8,"
                + "0x1122334455667788})");
    }

    /** Adding a mapping keeps the slots of the ones there (rules laid out with them stay true), as OVS keeps an option's place. */
    @Test
    void anAddedMappingDoesNotMoveTheSlotsOfOthers() {
        TlvMap map = TlvMap.EMPTY.add(TlvMap.parse("{class=1,type=5,len=8}->tun_metadata5"));
        assertThat(map.slotsOf(5)).containsExactly(63, 5);
        map = map.add(TlvMap.parse("{class=1,type=2,len=12}->tun_metadata2"));
        assertThat(map.slotsOf(5)).containsExactly(63, 5);
        assertThat(map.slotsOf(2)).containsExactly(62, 61, 2);
        // Only a new mapping whose own slot holds an older one's bytes moves them.
        map = map.add(TlvMap.parse("{class=1,type=63,len=4}->tun_metadata63"));
        assertThat(map.slotsOf(63)).containsExactly(63);
        assertThat(map.slotsOf(2)).containsExactly(62, 61, 2);
        assertThat(map.slotsOf(5)).containsExactly(60, 5);
        assertThat(map.delete(TlvMap.parse("{class=1,type=63,len=4}->tun_metadata63")).slotsOf(5))
                .containsExactly(60, 5);
    }

    @Test
    void theMapIsEditedAndPrintedAsOvsOfctlDoes() {
        TlvMaps maps = sw.tunnels.tlvMaps();
        maps.add("br-int", TlvMap.parse("{class=0xffff,type=0,len=4}->tun_metadata1," + OVN));
        assertThat(maps.get("br-int").dump()).isEqualTo("""
                NXT_TLV_TABLE_REPLY (xid=0x0):
                 max option space=256 max fields=64
                 allocated option space=8

                 mapping table:
                  class  type  length  match field
                 ------  ----  ------  --------------
                  0x102  0x80       4  tun_metadata0
                 0xffff     0       4  tun_metadata1
                """);
        assertThat(maps.get("br-phy").size()).isZero();
        assertThatThrownBy(() -> maps.add("br-int", TlvMap.parse("{class=1,type=2,len=4}->tun_metadata0")))
                .hasMessageContaining("tun_metadata0 is already mapped");
        assertThatThrownBy(() -> maps.add("br-int", TlvMap.parse("{class=0x102,type=0x80,len=4}->tun_metadata5")))
                .hasMessageContaining("the option is already mapped");
        assertThatThrownBy(() -> maps.add("br-int", TlvMap.parse("{class=1,type=2,len=6}->tun_metadata5")))
                .hasMessageContaining("len must be a multiple of 4 up to 124");
        assertThatThrownBy(() -> maps.add("br-int", TlvMap.parse("{class=1,type=2,len=128}->tun_metadata5")))
                .hasMessageContaining("len must be a multiple of 4 up to 124");
        assertThatThrownBy(() -> maps.add("br-int", TlvMap.parse("{class=1,type=2,len=124}->tun_metadata5,"
                + "{class=1,type=3,len=124}->tun_metadata6,{class=1,type=4,len=4}->tun_metadata7")))
                .hasMessageContaining("exceed the option space of 256");
        assertThatThrownBy(() -> TlvMap.parse("{class=1,type=2}->tun_metadata5"))
                .hasMessageContaining("invalid tlv mapping");
        assertThatThrownBy(() -> TlvMap.parse("{class=1,type=2,len=4}->tun_metadata64"))
                .hasMessageContaining("tun_metadata index 64 out of range 0..63");
        maps.delete("br-int", TlvMap.parse(OVN));
        assertThat(maps.get("br-int").mappings()).containsExactly(new TlvMap.Mapping(0xffff, 0, 4, 1));
        assertThatThrownBy(() -> maps.delete("br-int", TlvMap.parse(OVN))).hasMessageContaining("is not in the map");
        maps.delete("br-int", null);
        assertThat(maps.get("br-int").mappings()).isEqualTo(List.of());
    }
}
