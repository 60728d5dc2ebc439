package dev.jvswitch.flowcache.key;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jvswitch.flowcache.testing.ParseHarness;
import dev.jvswitch.testkit.frame.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ct attributes of datapath flows, golden strings from OVS 3.1's dpctl/dump-flows. */
class CtAttrPrinterTest {
    private final ParseHarness harness = new ParseHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private FlowKey key() {
        FlowKey k = harness.parse(Frames.udp4().ports(1, 2).build()).key();
        k.set(FlowField.IN_PORT, 1);
        return k;
    }

    private static FlowMask base() {
        return new FlowMask().exact(FlowField.RECIRC_ID).exact(FlowField.IN_PORT).exact(FlowField.ETH_TYPE)
                .exact(FlowField.NW_FRAG);
    }

    @Test
    void untrackedMatchAsOvsPrintsIt() {
        FlowKey k = key();
        assertThat(FlowPrinter.format(k, base().bits(FlowField.CT_STATE, 0x20)))
                .isEqualTo("ct_state(-trk),recirc_id(0),in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)");
    }

    @Test
    void trackedMatchWithMarkLabelAndTuple() {
        FlowKey k = key().set(FlowField.CT_STATE, 0x21).set(FlowField.RECIRC_ID, 4).set(FlowField.CT_NW_PROTO, 17);
        FlowMask m = base().bits(FlowField.CT_STATE, 0x23).exact(FlowField.CT_ZONE).bits(FlowField.CT_MARK, 0xff)
                .exact(FlowField.CT_NW_PROTO);
        m.words()[FlowField.CT_LABEL.word() + 1] = 1;
        assertThat(FlowPrinter.format(k, m)).isEqualTo("ct_state(+new-est+trk),ct_zone(0),ct_mark(0/0xff),"
                + "ct_label(0/0x1),ct_tuple4(proto=17),recirc_id(0x4),in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)");
    }

    @Test
    void keyOnlyShowsCtAttributesOfTrackedPacketsOnly() {
        assertThat(FlowPrinter.format(key())).startsWith("recirc_id(0),");
        FlowKey k = key().set(FlowField.CT_STATE, 0x22).set(FlowField.CT_ZONE, 1).set(FlowField.CT_NW_SRC, 0x0a000001)
                .set(FlowField.CT_NW_DST, 0x0a000002).set(FlowField.CT_NW_PROTO, 17).set(FlowField.CT_TP_SRC, 1)
                .set(FlowField.CT_TP_DST, 2);
        assertThat(FlowPrinter.format(k)).startsWith("ct_state(+est+trk),ct_zone(0x1),ct_mark(0),ct_label(0),"
                .replace("+est+trk", "-new+est-rel-rpl-inv+trk-snat-dnat")
                + "ct_tuple4(src=10.0.0.1,dst=10.0.0.2,proto=17,tp_src=1,tp_dst=2),recirc_id(0),");
    }
}
