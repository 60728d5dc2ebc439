package dev.jvswitch.bench.ovs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.pmd.pcap.PcapReader;
import dev.jvswitch.testkit.ovs.OvsOracle;

/**
 * {@code jvs-bench ovs-megaflows}: how many megaflows Open vSwitch itself installs for a rule set
 * and a pcap, the figure {@code pipeline}'s {@code megaflowsMax} is held against. A private OVS
 * with the dummy datapath ({@link OvsOracle}) gets bridge br0 with ports 1 and 2 and the rules
 * (ovs-ofctl syntax); every frame of the pcap is fed to port 1 ({@code netdev-dummy/receive},
 * {@code --batch} frames per call, fewer than the dummy port's 100-frame receive queue, the next
 * call only once the datapath has taken them), and the datapath's megaflows are counted
 * ({@code dpctl/dump-flows}) once the count stops growing. Each frame goes in once: every 5-tuple
 * of the file meets the classifier, as in a replay. The output says how many frames OVS received.
 */
public final class OvsMegaflowsCommand {
    static final Set<String> OPTIONS = Set.of("pcap", "flows", "batch", "show");
    static final Set<String> FLAGS = Set.of("json");

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
        try (OvsOracle ovs = OvsOracle.start(1, 2); PcapReader in = PcapReader.open(pcap)) {
            ovs.replaceFlows(flows);
            HexFormat hex = HexFormat.of();
            List<String> pending = new ArrayList<>(batch);
            long frames = 0;
            byte[] f;
            while ((f = in.nextFrame()) != null) {
                pending.add(hex.formatHex(f));
                frames++;
                if (pending.size() == batch) {
                    feed(ovs, pending, frames);
                }
            }
            if (!pending.isEmpty()) {
                feed(ovs, pending, frames);
            }
            List<String> dump = settledDump(ovs);
            long received = received(ovs);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (args.flag("json")) {
                System.out.println(new Json().put("pcap", pcap.toString()).put("flows", flowsFile.toString())
                        .put("frames", frames).put("ovsReceived", received).put("ovsMegaflows", dump.size())
                        .put("seconds", seconds));
            } else {
                System.out.printf("ovs-megaflows: %d frames of %s (%d received by OVS) through OVS with %s:"
                        + " %d megaflows (%.1f s)%n", frames, pcap, received, flowsFile, dump.size(), seconds);
                for (String l : dump.subList(0, Math.min(show, dump.size()))) {
                    System.out.println("  " + l);
                }
            }
            return 0;
        }
    }

    /**
     * Feeds {@code pending} to port 1 and waits (at most 10 s) until the datapath has taken every
     * frame fed so far: the dummy port's queue holds 100 and drops the rest.
     */
    private static void feed(OvsOracle ovs, List<String> pending, long fedSoFar) {
        ovs.receive(1, pending);
        pending.clear();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (received(ovs) < fedSoFar && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000L);
        }
    }

    /** Packets the datapath received (pmd-stats-show, every thread): fewer than fed means the dummy queue dropped some. */
    private static long received(OvsOracle ovs) {
        long n = 0;
        for (String l : ovs.appctl("dpif-netdev/pmd-stats-show").split("\n")) {
            String t = l.trim();
            if (t.startsWith("packets received:")) {
                n += Long.parseLong(t.substring("packets received:".length()).trim());
            }
        }
        return n;
    }

    /** The datapath's megaflows once two dumps 200 ms apart agree (upcalls may still be in flight). */
    private static List<String> settledDump(OvsOracle ovs) {
        List<String> last = ovs.dumpFlows();
        for (int i = 0; i < 100; i++) {
            java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
            List<String> now = ovs.dumpFlows();
            if (now.size() == last.size()) {
                return now;
            }
            last = now;
        }
        return last;
    }
}
