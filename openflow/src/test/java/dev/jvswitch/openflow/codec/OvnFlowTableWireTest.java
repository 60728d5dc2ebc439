package dev.jvswitch.openflow.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.action.ActionCheck;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.syntax.FlowSyntax;

/**
 * The whole flow table ovn-controller (OVN 23.03) installs on an OVS 3.1 chassis for a logical
 * router between two logical switches, one VIF on each, as {@code ovs-ofctl -O OpenFlow15
 * dump-flows br-int} printed it (the start-up warm-up's table, {@code channel/warmup-flows.txt}). Every flow must parse, and the
 * flow mod the Nicira writer makes of it must decode to the same mod: ovn-controller resyncs on
 * the first flow a switch refuses, so one flow the codec cannot carry breaks the router.
 */
class OvnFlowTableWireTest {

    @Test
    void everyFlowOfOvnsRouterTableRoundTrips() throws IOException {
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (String line : lines("/dev/jvswitch/openflow/channel/warmup-flows.txt")) {
            n++;
            try {
                FlowMod mod = FlowSyntax.parseAdd(line);
                FlowMod back = NxFlowModWire.decode(flowMod(mod), 6);
                if (!back.equals(mod)) {
                    failures.add(line + "\n  read back as " + FlowSyntax.format(back));
                }
                // OVS took every one of these: the channel's consistency check must too.
                for (dev.jvswitch.ofproto.mod.Instruction i : back.instructions()) {
                    String problem = i instanceof dev.jvswitch.ofproto.mod.Instruction.ApplyActions a
                            ? ActionCheck.wireProblem(back.match(), a.actions()) : null;
                    if (problem != null) {
                        failures.add(line + "\n  refused: " + problem);
                    }
                }
            } catch (RuntimeException e) {
                failures.add(line + "\n  " + e);
            }
        }
        assertThat(n).as("flows in the table").isEqualTo(434);
        assertThat(failures).as("flows that do not round-trip or would be refused").isEmpty();
    }

    /** An OpenFlow 1.5 OFPT_FLOW_MOD (add) of {@code mod}, as a controller would send it. */
    static ByteBuf flowMod(FlowMod mod) {
        ByteBuf m = Unpooled.buffer();
        NxFlowWriter.flowMod15(m, mod, 9);
        return m;
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = OvnFlowTableWireTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            List<String> out = new ArrayList<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank()) {
                    out.add(l.trim());
                }
            }
            return out;
        }
    }
}
