package dev.jvswitch.vswitchd.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.ofproto.meter.MeterEntry;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.MeterSyntax;
import dev.jvswitch.vswitchd.TestSwitch;

/**
 * A bridge's {@code meters} key: meters made at start before the flows that name them, a reload
 * that replaces the meter table (a meter that stays the same keeps its datapath meter and
 * counters, a changed one is modified, a dropped one goes with the rules naming it, as OpenFlow
 * deletes them), and the errors a user sees with file, line and key: a meter that does not parse
 * or that the datapath cannot run, an id given twice, and a flow naming a meter the key does not
 * make (so a reload that drops a meter a remaining flow uses is refused before anything changes).
 */
class MeterConfigTest {
    private static final String M1 = "meter=1,pktps,burst,stats,bands=type=drop,rate=10,burst_size=5";
    private static final String M2 = "meter=2,kbps,bands=type=drop,rate=1000";
    private static final String BASE = """
            datapath:
              pmd-idle: backoff
            mempool:
              mbufs: 512
            bridges:
              br0:
                meters:
            %s
                flows:
                  - priority=10,in_port=1,actions=meter:1,output:2
                  - priority=0,actions=drop
                ports:
                  a: {type: null, ofport: 1}
                  b: {type: null, ofport: 2}
            control:
              socket: ctl.sock
            """;

    @TempDir
    Path dir;
    private TestSwitch ts;

    private static String yaml(String... meters) {
        StringBuilder b = new StringBuilder();
        for (String m : meters) {
            b.append(b.length() == 0 ? "" : "\n").append("      - ").append(m);
        }
        return BASE.formatted(b);
    }

    @BeforeEach
    void setUp() throws Exception {
        ts = TestSwitch.start(dir, yaml(M1, M2), false);
    }

    @AfterEach
    void tearDown() {
        ts.close();
    }

    private List<MeterEntry> meters() throws Exception {
        return ts.sw.ofproto().meters("br0");
    }

    private List<String> errors(String yaml) throws Exception {
        try {
            ts.load(yaml);
            throw new AssertionError("expected the config to be rejected:\n" + yaml);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
    }

    private List<String> flows() throws Exception {
        return ts.sw.ofproto().flowStats("br0").stream().map(FlowSyntax::dumpFlow).toList();
    }

    @Test
    void theKeyMakesTheMetersAtStartBeforeTheFlowsThatNameThem() throws Exception {
        assertThat(meters()).extracting(e -> MeterSyntax.format(e.config())).containsExactly(
                "meter=1 pktps burst stats bands=\ntype=drop rate=10 burst_size=5",
                "meter=2 kbps bands=\ntype=drop rate=1000");
        assertThat(flows()).anyMatch(f -> f.contains("actions=meter:1,output:2"));
    }

    @Test
    void aReloadReplacesTheMeterTableKeepingWhatStaysTheSame() throws Exception {
        MeterEntry one = meters().get(0);
        // A meter set over OpenFlow, with a rule naming it: a reload that changes the key drops it, as OpenFlow would.
        ts.sw.ofproto().apply("br0", List.of(MeterSyntax.parseAdd("meter=9,pktps,bands=type=drop,rate=1"),
                FlowSyntax.parseAdd("priority=5,in_port=2,actions=meter:9,output:1")), "test");
        assertThat(meters()).hasSize(3);

        List<String> changes = ts.sw.reload(ts.load(yaml(M1, M2.replace("rate=1000", "rate=2000"),
                "meter=3,pktps,bands=type=drop,rate=5")));
        assertThat(changes).contains("replaced the meters of br0 (3)");
        List<MeterEntry> now = meters();
        assertThat(now).extracting(MeterEntry::meterId).containsExactly(1L, 2L, 3L);
        assertThat(now.get(0)).as("meter 1 did not change: the same entry, datapath meter and counters")
                .isSameAs(one);
        assertThat(now.get(1).config().bands().get(0).rate()).isEqualTo(2000);
        assertThat(flows()).noneMatch(f -> f.contains("meter:9")).anyMatch(f -> f.contains("meter:1"));

        // The same file again changes nothing.
        assertThat(ts.sw.reload(ts.load(yaml(M1, M2.replace("rate=1000", "rate=2000"),
                "meter=3,pktps,bands=type=drop,rate=5")))).noneMatch(c -> c.contains("meters"));
        assertThat(meters().get(0)).isSameAs(one);
    }

    @Test
    void aReloadThatDropsAMeterAFlowStillNamesIsRefusedAtTheFlowsLine() throws Exception {
        assertThat(errors(yaml(M2))).containsExactly(dir.resolve("sw.yaml") + ":10: bridges.br0.flows[0]: meter 1"
                + " is not among the bridge's meters");
        assertThat(meters()).hasSize(2);
        // Without the flow the meter may go.
        ts.sw.reload(ts.load(yaml(M2).replace("actions=meter:1,output:2", "actions=output:2")));
        assertThat(meters()).extracting(MeterEntry::meterId).containsExactly(2L);
    }

    @Test
    void wrongMetersAreReportedAtTheirLines() throws Exception {
        String file = dir.resolve("sw.yaml").toString();
        assertThat(errors(yaml(M1, "meter=2,kbps,bands=type=dscp_remark,rate=10,prec_level=1",
                "meter=3,pktps,bands=type=drop,rat=5", M1.replace("rate=10", "rate=20")))).containsExactly(
                file + ":9: bridges.br0.meters[1]: meter 2: band type dscp_remark is not supported (drop only)",
                file + ":10: bridges.br0.meters[2]: " + syntaxError("meter=3,pktps,bands=type=drop,rat=5"),
                file + ":11: bridges.br0.meters[3]: meter 1 is given twice (first at " + file + ":8)");
        Files.writeString(dir.resolve("meters.txt"), "# rate limits\n" + M1 + "\nmeter=0,pktps,bands=type=drop,rate=1\n");
        assertThat(errors(yaml("\"@meters.txt\""))).containsExactly(dir.resolve("meters.txt")
                + ":3: bridges.br0.meters[0]: meter syntax error at column 7: value '0' out of range for meter"
                + " (1..4294901760)");
    }

    private static String syntaxError(String meter) {
        try {
            MeterSyntax.parseAdd(meter);
            throw new AssertionError(meter + " parsed");
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
