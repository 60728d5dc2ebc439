package dev.jvswitch.bench.ovs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.testkit.ovs.OvsOracle;

/**
 * {@code jvs-bench ovs-megaflows}: how many megaflows Open vSwitch itself installs for a rule set
 * and a pcap, the figure {@code pipeline}'s {@code megaflowsMax} is held against. A private OVS
 * with the dummy datapath ({@link OvsOracle}) gets bridge br0 with ports 1 and 2 and the rules
 * (ovs-ofctl syntax); every frame of the pcap is fed to port 1 ({@link OvsMegaflowCount},
 * {@code --batch} frames per {@code netdev-dummy/receive}), and the datapath's megaflows are
 * counted ({@code dpctl/dump-flows}) once the count stops growing. Each frame goes in once:
 * every 5-tuple of the file meets the classifier, as in a replay. The output says how many
 * frames OVS received.
 */
public final class OvsMegaflowsCommand {
    public static final Set<String> OPTIONS = Set.of("pcap", "flows", "batch", "show");
    public static final Set<String> FLAGS = Set.of("json");

    private OvsMegaflowsCommand() {
    }

    public static int run(String[] argv) throws IOException {
        Args args = Args.parse("ovs-megaflows", argv, OPTIONS, FLAGS);
        Path pcap = Path.of(args.required("pcap"));
        Path flowsFile = Path.of(args.required("flows"));
        int batch = args.intValue("batch", 64, 1, 99);
        int show = args.intValue("show", 20, 0, 1_000_000);
        String why = OvsOracle.unavailable();
        if (why != null) {
            System.err.println("ovs-megaflows: " + why);
            return 1;
        }
        List<String> flows = new ArrayList<>();
        for (String l : Files.readAllLines(flowsFile)) {
            String t = l.trim();
            if (!t.isEmpty() && !t.startsWith("#")) {
                flows.add(t);
            }
        }
        long t0 = System.nanoTime();
        try (OvsOracle ovs = OvsOracle.start(1, 2)) {
            ovs.replaceFlows(flows);
            OvsMegaflowCount c = OvsMegaflowCount.feed(ovs, pcap, batch);
            List<String> dump = c.megaflows();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (args.flag("json")) {
                System.out.println(new Json().put("pcap", pcap.toString()).put("flows", flowsFile.toString())
                        .put("frames", c.frames()).put("ovsReceived", c.received()).put("ovsMegaflows", dump.size())
                        .put("seconds", seconds));
            } else {
                System.out.printf("ovs-megaflows: %d frames of %s (%d received by OVS) through OVS with %s:"
                        + " %d megaflows (%.1f s)%n", c.frames(), pcap, c.received(), flowsFile, dump.size(), seconds);
                for (String l : dump.subList(0, Math.min(show, dump.size()))) {
                    System.out.println("  " + l);
                }
            }
            return 0;
        }
    }
}
