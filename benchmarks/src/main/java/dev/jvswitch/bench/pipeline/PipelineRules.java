package dev.jvswitch.bench.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.GroupSyntax;

/**
 * The OpenFlow rule set of {@code jvs-bench pipeline --flows FILE [--groups FILE] [--meters FILE]}: one bridge
 * {@code br0} whose OpenFlow ports 1 and 2 are datapath ports 1 (the pcap port) and 2 (the null
 * port), loaded from files in ovs-ofctl syntax (one flow or group per line; blank lines and lines
 * starting with {@code #} skipped).
 */
final class PipelineRules {
    static final String BRIDGE = "br0";

    private PipelineRules() {
    }

    /**
     * Builds the ofproto: groups first (flows may name them), then every flow as one change.
     *
     * @throws Args.UsageException naming FILE:LINE and the syntax error, or FILE and the rule
     *                             set's error (e.g. a flow naming a missing group)
     */
    static Ofproto load(List<Path> flowFiles, List<Path> groupFiles) {
        return load(flowFiles, groupFiles, List.of());
    }

    /** As above, with the meters of {@code meterFiles} ({@code add-meter} text) added first. */
    static Ofproto load(List<Path> flowFiles, List<Path> groupFiles, List<Path> meterFiles) {
        Ofproto ofproto = new Ofproto();
        ofproto.addBridge(new BridgeConfig(BRIDGE, List.of(OfPort.trunk(1, 1, "pcap0"), OfPort.trunk(2, 2, "null0"))));
        for (Path file : meterFiles) {
            for (Line l : lines(file, "--meters")) {
                try {
                    ofproto.apply(BRIDGE, dev.jvswitch.ofproto.syntax.MeterSyntax.parseAdd(l.text));
                } catch (IllegalArgumentException e) {
                    throw new Args.UsageException("pipeline: " + file + ":" + l.number + ": " + e.getMessage());
                }
            }
        }
        for (Path file : groupFiles) {
            for (Line l : lines(file, "--groups")) {
                Group g;
                try {
                    g = GroupSyntax.parse(l.text);
                } catch (IllegalArgumentException e) {
                    throw new Args.UsageException("pipeline: " + file + ":" + l.number + ": " + e.getMessage());
                }
                try {
                    ofproto.apply(BRIDGE, GroupMod.add(g));
                } catch (IllegalArgumentException e) {
                    throw new Args.UsageException("pipeline: " + file + ":" + l.number + ": " + e.getMessage());
                }
            }
        }
        for (Path file : flowFiles) {
            List<FlowMod> rules = new ArrayList<>();
            for (Line l : lines(file, "--flows")) {
                try {
                    rules.add(FlowSyntax.parseAdd(l.text));
                } catch (IllegalArgumentException e) {
                    throw new Args.UsageException("pipeline: " + file + ":" + l.number + ": " + e.getMessage());
                }
            }
            try {
                ofproto.apply(BRIDGE, rules);
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException("pipeline: " + file + ": " + e.getMessage());
            }
        }
        return ofproto;
    }

    private record Line(int number, String text) {
    }

    private static List<Line> lines(Path file, String option) {
        List<String> raw;
        try {
            raw = Files.readAllLines(file);
        } catch (IOException e) {
            throw new Args.UsageException("pipeline: " + option + " " + file + ": cannot read (" + e.getMessage() + ")");
        }
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String t = raw.get(i).strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(new Line(i + 1, t));
            }
        }
        return out;
    }
}
