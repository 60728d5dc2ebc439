package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowPrinter;
import dev.jvswitch.ofproto.Ofctl;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Registers, metadata and pkt_mark through a multi-table pipeline: they carry state between
 * tables, and the megaflow holds only the packet fields that decided the outcome, never a
 * register.
 */
class PipelineFieldsXlateTest {
    private TestSwitch sw;

    @BeforeEach
    void setUp() {
        sw = new TestSwitch().bridge("br0", 4, 0);
    }

    @AfterEach
    void tearDown() {
        sw.close();
    }

    private static FrameBuilder tcp(String src) {
        return Frames.tcp4().ip(src, "10.0.0.2").ports(1234, 80).ttl(64);
    }

    private XlateResult run(FrameBuilder packet, String... flows) {
        sw.flows("br0", flows);
        return sw.xlate(sw.key(packet.build(), 1));
    }

    private String megaflow(FrameBuilder packet, XlateResult r) {
        return FlowPrinter.format(sw.key(packet.build(), 1), r.mask());
    }

    private static final String[] REG_PIPELINE = {
        "table=0,ip,nw_src=10.0.0.1,actions=load:0x5->NXM_NX_REG0[],resubmit(,1)",
        "table=0,ip,nw_src=10.0.0.3,actions=set_field:0x6->reg0,resubmit(,1)",
        "table=0,priority=0,actions=resubmit(,1)",
        "table=1,reg0=5,actions=output:2",
        "table=1,reg0=6,actions=output:3",
        "table=1,priority=0,actions=drop"};

    @Test
    void aRegisterCarriesADecisionToALaterTableWithoutWideningTheMegaflow() {
        XlateResult r = run(tcp("10.0.0.1"), REG_PIPELINE);
        assertThat(r.actions()).hasToString("2");
        assertThat(megaflow(tcp("10.0.0.1"), r))
                .isEqualTo("recirc_id(0),in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.1,frag=no)");
        assertThat(sw.xlate(sw.key(tcp("10.0.0.3").build(), 1)).actions()).hasToString("3");
        assertThat(sw.xlate(sw.key(tcp("10.0.0.4").build(), 1)).actions()).hasToString("drop");
    }

    @Test
    void bitRangesOfRegistersAndMetadataMoveAndMatch() {
        XlateResult r = run(tcp("10.0.0.1"),
                "table=0,ip,actions=move:NXM_OF_IP_SRC[0..7]->NXM_NX_REG1[8..15],"
                        + "load:0xab->OXM_OF_METADATA[0..7],move:reg1[8..15]->xreg0[40..47],goto_table:1",
                "table=1,reg1=0x100/0xff00,metadata=0xab/0xff,reg0=0x100/0xff00,actions=output:4",
                "table=1,priority=0,actions=output:3");
        assertThat(r.actions()).hasToString("4");
        assertThat(megaflow(tcp("10.0.0.1"), r))
                .isEqualTo("recirc_id(0),in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.1/0.0.0.255,frag=no)");
    }

    @Test
    void writeMetadataIsAnInstructionBeforeGotoTable() {
        XlateResult r = run(tcp("10.0.0.1"),
                "table=0,actions=write_metadata:0x1200/0xff00,goto_table:1",
                "table=1,metadata=0x1200,actions=output:2",
                "table=1,priority=0,actions=output:3");
        assertThat(r.actions()).hasToString("2");
        assertThat(megaflow(tcp("10.0.0.1"), r)).isEqualTo("recirc_id(0),in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)");
    }

    @Test
    void xxregistersSpanFourRegisters() {
        XlateResult r = run(tcp("10.0.0.1"),
                "table=0,actions=set_field:0x11112222333344445555666677778888->xxreg1,resubmit(,1)",
                "table=1,reg4=0x11112222,reg7=0x77778888,xreg2=0x1111222233334444,actions=output:2",
                "table=1,priority=0,actions=output:3");
        assertThat(r.actions()).hasToString("2");
    }

    @Test
    void pktMarkIsADatapathFieldAndIsSetThere() {
        XlateResult r = run(tcp("10.0.0.1"), "actions=set_field:0x7->pkt_mark,output:2");
        assertThat(r.actions()).hasToString("set(skb_mark(0x7)),2");
    }

    @Test
    void registersSurviveADpHashRecirculation() {
        Ofctl.addGroup(sw.ofproto, "br0", "group_id=1,type=select,selection_method=dp_hash,bucket=actions=resubmit(,1)");
        XlateResult r = run(tcp("10.0.0.1"),
                "table=0,actions=load:0x9->reg3,group:1",
                "table=1,reg3=9,actions=output:2",
                "table=1,priority=0,actions=output:3");
        assertThat(r.actions().toString()).contains("recirc(");
        int id = r.recircPoints().get(0).recircId();
        XlateResult after = sw.xlate(TestSwitch.recirculated(sw.key(tcp("10.0.0.1").build(), 1),
                r.recircPoints().get(0)));
        assertThat(after.actions()).as("recirc %d", id).hasToString("2");
    }

    @Test
    void cloneRestoresTheFlowAndRegistersAndTheStackCarriesBits() {
        // Flows and expected lines from OVS 3.1's ofproto/trace for the same rules and flow.
        sw.flows("br0", "in_port=1,ip,actions=clone(mod_dl_src:00:00:00:00:00:09,load:5->reg0,output:2),"
                        + "push:NXM_NX_REG0[0..7],load:7->reg0,pop:reg1[8..15],output:3,resubmit(,1)",
                "table=1,reg1=0,actions=output:4", "table=1,reg1=0x700,actions=output:3");
        String out = sw.ofproto.tracer().trace("br0", "in_port=1,tcp,nw_src=10.0.0.1,nw_dst=10.1.0.1,tcp_src=1,tcp_dst=2");
        assertThat(out).contains("Megaflow: recirc_id=0,eth,ip,in_port=1,dl_src=00:00:00:00:00:00,nw_frag=no\n")
                .endsWith("Datapath actions: set(eth(src=00:00:00:00:00:09)),2,set(eth(src=00:00:00:00:00:00)),3,4\n");
        sw.flows("br0", "in_port=1,ip,priority=40000,actions=load:0x7->reg0,push:reg0[0..7],pop:reg1[8..15],"
                + "pop:reg2[],resubmit(,1)");
        assertThat(sw.ofproto.tracer().trace("br0", "in_port=1,tcp")).as("pushed 0x7, popped into reg1[8..15]")
                .contains("stack underflow").endsWith("Datapath actions: 3\n");
    }
}
