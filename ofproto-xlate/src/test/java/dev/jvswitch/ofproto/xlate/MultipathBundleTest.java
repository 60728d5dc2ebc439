package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.jvswitch.ofproto.syntax.FlowSyntax;

/**
 * {@code multipath}, {@code bundle} and {@code bundle_load} choose what OVS chooses. Each line of
 * {@code ovs-multipath.txt} (60 cases) is an action, a flow and the {@code Datapath actions} OVS 3.1's
 * {@code ofproto/trace} gave for table 0 {@code in_port=1,ip,actions=ACTION,resubmit(,1)} over a
 * table 1 that outputs by register (dummy datapath, ports 1-5).
 */
class MultipathBundleTest {
    private static final String[] BY_REG0 = {"table=1,reg0=0,actions=output:2", "table=1,reg0=1,actions=output:3",
        "table=1,reg0=2,actions=output:4", "table=1,reg0=3,actions=output:5", "table=1,reg0=4,actions=output:2,output:3",
        "table=1,reg1=2,actions=output:2", "table=1,reg1=3,actions=output:3", "table=1,reg1=4,actions=output:4",
        "table=1,reg1=5,actions=output:5"};
    private static final String[] BY_REG1 = {"table=1,reg1=2,actions=output:2", "table=1,reg1=3,actions=output:3",
        "table=1,reg1=4,actions=output:4", "table=1,reg1=5,actions=output:5", "table=1,reg1=0xffff,actions=output:1"};

    @Test
    void linksAndMembersAreOvsChoices() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/ovs-multipath.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int checked = 0;
        for (String line : text.split("\n")) {
            String[] f = line.split("\\|");
            try (TestSwitch sw = new TestSwitch().bridge("br0", 5, 0)) {
                sw.flows("br0", "table=0,in_port=1,ip,actions=" + f[0] + ",resubmit(,1)");
                sw.flows("br0", f[0].startsWith("bundle") ? BY_REG1 : BY_REG0);
                String out = sw.ofproto.tracer().trace("br0", "in_port=1," + f[1]);
                String last = out.substring(out.lastIndexOf("Datapath actions: ") + 18).trim();
                assertThat(last).as(line).isEqualTo(f[2]);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(60);
    }

    @Test
    void theActionsPrintAsOvsWritesThem() {
        // Each printed form is what OVS 3.1's ovs-ofctl parse-flow prints for the written one.
        String[][] cases = {
            {"multipath(symmetric_l4,50,modulo_n,4,0,reg0[0..2])",
                "multipath(symmetric_l4,50,modulo_n,4,0,NXM_NX_REG0[0..2])"},
            {"bundle(symmetric_l3l4+udp,3,hrw,ofport,members:2,3,4)",
                "bundle(symmetric_l3l4+udp,3,hrw,ofport,members:2,3,4)"},
            {"bundle_load(eth_src,5,active_backup,ofport,reg1[0..15],members:2,3)",
                "bundle_load(eth_src,5,active_backup,ofport,NXM_NX_REG1[0..15],members:2,3)"}};
        for (String[] c : cases) {
            assertThat(FlowSyntax.formatInstructions(FlowSyntax.parseAdd("ip,actions=" + c[0]).instructions()))
                    .isEqualTo(c[1]);
            assertThat(FlowSyntax.parseAdd("ip,actions=" + c[1])).isEqualTo(FlowSyntax.parseAdd("ip,actions=" + c[0]));
        }
    }
}
