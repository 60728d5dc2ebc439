package dev.jvswitch.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.Ofproto;

class PipelineRulesTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void loadsFlowsAndGroupsSkippingCommentsAndBlankLines() throws IOException {
        Path groups = write("g", "# groups\n\ngroup_id=7,type=all,bucket=actions=output:2\n");
        Path flows = write("f", "# flows\n\n  in_port=1,actions=group:7\n");
        Ofproto of = PipelineRules.load(List.of(flows), List.of(groups));
        assertThat(of.rules(PipelineRules.BRIDGE)).hasSize(1);
        assertThat(of.groups(PipelineRules.BRIDGE)).hasSize(1);
        assertThat(of.upcallHandler().translate(new FlowKey().set(FlowField.IN_PORT, 1)).actions().toString())
                .contains("2");
    }

    @Test
    void metersLoadBeforeTheFlowsThatNameThem() throws IOException {
        Path meters = write("m", "# meters\nmeter=1,pktps,burst,bands=type=drop,rate=1000,burst_size=10\n");
        Path flows = write("f", "in_port=1,actions=meter:1,output:2\n");
        Ofproto of = PipelineRules.load(List.of(flows), List.of(), List.of(meters));
        assertThat(of.meters(PipelineRules.BRIDGE)).hasSize(1);
        assertThat(of.upcallHandler().translate(new FlowKey().set(FlowField.IN_PORT, 1)).actions())
                .hasToString("meter(0),2");
        Path bad = write("bad.meters", "meter=2,pktps,bands=type=drop\n");
        assertThatThrownBy(() -> PipelineRules.load(List.of(flows), List.of(), List.of(bad)))
                .isInstanceOf(Args.UsageException.class).hasMessageContaining(bad + ":1: ")
                .hasMessageContaining("rate");
    }

    @Test
    void aSyntaxErrorNamesFileAndLine() throws IOException {
        Path flows = write("bad.flows", "in_port=1,actions=output:2\n# ok\n\nin_port=1,actoins=drop\n");
        assertThatThrownBy(() -> PipelineRules.load(List.of(flows), List.of()))
                .isInstanceOf(Args.UsageException.class)
                .hasMessageContaining(flows + ":4: ")
                .hasMessageContaining("actoins");
    }

    @Test
    void theExampleRuleSetsLoad() {
        Path conf = Path.of("..", "conf", "flows");
        assertThat(PipelineRules.load(List.of(conf.resolve("l2-simple.flows")), List.of())
                .rules(PipelineRules.BRIDGE)).hasSize(1);
        Ofproto multi = PipelineRules.load(List.of(conf.resolve("multi-table.flows")), List.of());
        assertThat(multi.rules(PipelineRules.BRIDGE)).hasSizeGreaterThan(300);
        // The generated pcaps' packets (UDP 10.0.0.x -> 10.1.0.1:5001) go through three tables to port 2.
        FlowKey udp = new FlowKey().set(FlowField.IN_PORT, 1).set(FlowField.ETH_TYPE, 0x0800)
                .set(FlowField.NW_PROTO, 17).set(FlowField.NW_SRC, 0x0a000001L).set(FlowField.NW_DST, 0x0a010001L)
                .set(FlowField.TP_SRC, 1024).set(FlowField.TP_DST, 5001);
        var r = multi.upcallHandler().translate(udp);
        assertThat(r.error()).isNull();
        assertThat(r.rules()).hasSize(3);
        assertThat(r.actions().toString()).isEqualTo("2");
    }
}
