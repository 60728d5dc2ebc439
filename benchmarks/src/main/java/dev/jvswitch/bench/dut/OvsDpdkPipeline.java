package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jvs-bench pipeline --dut ovs-dpdk}: the pipeline benchmark's switch in Open vSwitch with
 * DPDK, for a side-by-side figure on the same pcap. DPDK's {@code net_pcap} driver replays the file
 * from memory without end ({@code infinite_rx=1}) as the rx port and {@code net_null} discards
 * what is sent, so, as in jvswitch's pipeline, the PMD does nothing but switch. Without a tunnel,
 * bridge br0 forwards port 1 to port 2; with one, the layout is {@code TunnelPipeline}'s (br-int
 * with vx0, br-phy with the endpoint 192.0.2.1/24 on its LOCAL port, which is a tap device in the
 * benchmark's own namespace, the remote a static neighbour), by the same OpenFlow rules.
 *
 * <p>Figures: packets and Mpps from {@code dpif-netdev/pmd-stats-show} over the measured time
 * (after {@code pmd-stats-clear}), the PMD thread's CPU time per packet (from {@code /proc},
 * comparable to jvswitch's {@code cpuNsPerPacket}) and OVS's own processing cycles per packet.
 * Everything runs privately (its namespace, run directory, huge pages and hugetlbfs mount) and is
 * removed afterwards.
 */
public final class OvsDpdkPipeline {
    private static final Pattern STAT = Pattern.compile("^\\s*([a-z. ]+?): (\\d+(?:\\.\\d+)?)", Pattern.MULTILINE);
    private static final Pattern CYCLES = Pattern.compile("(idle|processing) cycles: (\\d+)");
    private static final int HUGEPAGES = 256;
    private static final long CLOCK_TICK_NS = 10_000_000L;

    /** Which switch: plain forwarding, or the tunnel layout pushing or popping VXLAN. */
    public enum Layout { PLAIN, ENCAP, DECAP }

    /**
     * What one run measured.
     *
     * @param packets                packets received in the measured time
     * @param recirculations         recirculations in it
     * @param seconds                the measured time
     * @param cpuNsPerPacket         the PMD thread's CPU time per packet
     * @param processingCyclesPerPacket OVS's processing TSC cycles per packet
     * @param processingNsPerPacket  those cycles in ns (the TSC rate from idle + processing cycles over the time)
     */
    public record Figures(long packets, long recirculations, double seconds, double cpuNsPerPacket,
                          double processingCyclesPerPacket, double processingNsPerPacket, long megaflows) {
        public double mpps() {
            return packets / seconds / 1e6;
        }
    }

    /**
     * OpenFlow rules for the plain layout's {@code br0} (ports 1 and 2, as jvswitch's pipeline),
     * loaded with {@code ovs-ofctl -O OpenFlow15 add-groups/add-flows}; none: {@code in_port=1,
     * actions=output:2}.
     */
    public record Rules(List<Path> flows, List<Path> groups) {
        public static final Rules BUILT_IN = new Rules(List.of(), List.of());

        public Rules {
            flows = List.copyOf(flows);
            groups = List.copyOf(groups);
        }

        @Override
        public String toString() {
            return "flows " + flows + (groups.isEmpty() ? "" : ", groups " + groups);
        }
    }

    /** OVS refused the rules: its own message, naming the file. */
    public static final class RulesRefused extends IOException {
        RulesRefused(String message) {
            super(message);
        }
    }

    private OvsDpdkPipeline() {
    }

    /** Why it cannot run here, or {@code null}. */
    public static String missing() {
        if (!Shell.isRoot()) {
            return "needs root (namespaces, huge pages)";
        }
        String m = OvsDpdkDut.missing(false);
        if (m != null) {
            return m;
        }
        for (String driver : new String[] {"net_pcap", "net_null"}) {
            if (!OvsDpdkDut.driverInstalled(driver)) {
                return "DPDK's " + driver + " driver is not installed (Debian: librte-" + driver.replace('_', '-')
                        + "23)";
            }
        }
        return null;
    }

    /** Runs {@code pcap} through OVS-DPDK laid out as {@code layout}, its PMD on {@code pmdCpu}. */
    public static Figures run(Path pcap, Layout layout, int vni, int pmdCpu, double warmupS, double seconds)
            throws IOException, InterruptedException {
        return run(pcap, layout, vni, pmdCpu, warmupS, seconds, Rules.BUILT_IN);
    }

    /**
     * The same with {@code rules} on the plain layout's bridge.
     *
     * @throws RulesRefused if {@code ovs-ofctl} refused a file
     */
    public static Figures run(Path pcap, Layout layout, int vni, int pmdCpu, double warmupS, double seconds,
            Rules rules) throws IOException, InterruptedException {
        if (layout != Layout.PLAIN && !rules.flows().isEmpty()) {
            throw new IllegalArgumentException("rules are for the plain layout");
        }
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt() & 0xffffff, 6);
        String ns = "jvsovs-" + id;
        Path run = Files.createTempDirectory("jvs-ovs-pipeline-");
        DpdkRuntimeDirs runtimeDirs = DpdkRuntimeDirs.note();
        Hugepages hugepages = null;
        OvsDaemons ovs = null;
        try {
            Shell.run("ip", "netns", "add", ns);
            Shell.inNs(ns, "ip", "link", "set", "lo", "up");
            hugepages = Hugepages.reserve(HUGEPAGES, run.resolve("huge"));
            int cpu = pmdCpu >= 0 ? pmdCpu : Runtime.getRuntime().availableProcessors() - 1;
            List<String> config = List.of("other_config:dpdk-init=true",
                    "other_config:dpdk-extra=--no-pci --huge-dir " + run.resolve("huge") + " --file-prefix jvsovs" + id,
                    "other_config:dpdk-socket-mem=384", "other_config:dpdk-socket-limit=384",
                    "other_config:pmd-cpu-mask=0x" + Long.toHexString(1L << cpu));
            ovs = OvsDaemons.start(run, ns, config, List.of(), OvsDpdkDut.DPDK_VSWITCHD);
            String rx = "net_pcap0,rx_pcap=" + pcap.toAbsolutePath() + ",infinite_rx=1";
            String tx = "net_null0,no-rx=1";
            configure(ovs, ns, layout, vni, rx, tx, rules);
            long pmdTid = pmdThread(ovs.vswitchdPid());
            Thread.sleep((long) (warmupS * 1000));
            ovs.appctl("dpif-netdev/pmd-stats-clear");
            long cpu0 = threadCpuNs(ovs.vswitchdPid(), pmdTid);
            long t0 = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            String stats = ovs.appctl("dpif-netdev/pmd-stats-show");
            long t1 = System.nanoTime();
            long cpu1 = threadCpuNs(ovs.vswitchdPid(), pmdTid);
            return figures(stats, (t1 - t0) / 1e9, cpu1 - cpu0, megaflows(ovs.appctl("dpctl/dump-flows")));
        } finally {
            if (ovs != null) {
                ovs.close();
            }
            if (hugepages != null) {
                hugepages.close();
            }
            runtimeDirs.removeNew();
            Shell.tryRun("ip", "netns", "del", ns);
            Shell.tryRun("rm", "-rf", "--one-file-system", run.toString());
        }
    }

    private static void configure(OvsDaemons ovs, String ns, Layout layout, int vni, String rx, String tx,
            Rules rules) throws IOException, InterruptedException {
        if (layout == Layout.PLAIN) {
            bridge(ovs, "br0", null);
            port(ovs, "br0", "pcap0", 1, "type=dpdk", "options:dpdk-devargs=" + rx);
            port(ovs, "br0", "null0", 2, "type=dpdk", "options:dpdk-devargs=" + tx);
            if (rules.flows().isEmpty()) {
                flows(ovs, "br0", "in_port=1,actions=output:2");
            } else {
                load(ovs, "br0", rules);
            }
            return;
        }
        boolean encap = layout == Layout.ENCAP;
        bridge(ovs, "br-int", null);
        bridge(ovs, "br-phy", "02:00:00:00:00:0a");
        port(ovs, "br-int", "access", 1, "type=dpdk", "options:dpdk-devargs=" + (encap ? rx : tx));
        port(ovs, "br-int", "vx0", 10, "type=vxlan", "options:remote_ip=192.0.2.2", "options:key=" + vni);
        port(ovs, "br-phy", "underlay", 1, "type=dpdk", "options:dpdk-devargs=" + (encap ? tx : rx));
        flows(ovs, "br-int", "in_port=1,actions=output:10", "in_port=10,actions=output:1");
        flows(ovs, "br-phy", "in_port=1,actions=LOCAL", "in_port=LOCAL,actions=output:1");
        // The endpoint address is the LOCAL port's (a tap in the benchmark's namespace), as in OVS.
        Shell.inNs(ns, "ip", "addr", "add", "192.0.2.1/24", "dev", "br-phy");
        Shell.inNs(ns, "ip", "link", "set", "br-phy", "up");
        ovs.appctl("ovs/route/add", "192.0.2.0/24", "br-phy");
        ovs.appctl("tnl/neigh/set", "br-phy", "192.0.2.2", "02:00:00:00:00:0b");
    }

    private static void bridge(OvsDaemons ovs, String name, String hwaddr) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--timeout=60", "add-br", name, "--", "set", "bridge", name,
                "datapath_type=netdev", "fail_mode=secure", "protocols=OpenFlow10,OpenFlow13,OpenFlow15"));
        if (hwaddr != null) {
            args.add("other_config:hwaddr=" + hwaddr);
        }
        ovs.vsctl(args.toArray(new String[0]));
    }

    private static void port(OvsDaemons ovs, String bridge, String name, int ofport, String... settings)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--timeout=60", "add-port", bridge, name, "--", "set", "Interface",
                name, "ofport_request=" + ofport));
        args.addAll(List.of(settings));
        ovs.vsctl(args.toArray(new String[0]));
    }

    /** The rule files through ovs-ofctl in OpenFlow 1.5 (groups first: flows name them). */
    private static void load(OvsDaemons ovs, String bridge, Rules rules) throws IOException, InterruptedException {
        ovs.ofctl("del-flows", bridge);
        for (Path g : rules.groups()) {
            addFrom(ovs, bridge, "add-groups", g);
        }
        for (Path f : rules.flows()) {
            addFrom(ovs, bridge, "add-flows", f);
        }
    }

    private static void addFrom(OvsDaemons ovs, String bridge, String command, Path file)
            throws IOException, InterruptedException {
        try {
            ovs.ofctl(command, bridge, file.toAbsolutePath().toString(), "-O", "OpenFlow15");
        } catch (IOException e) {
            // Shell's message ends with ovs-ofctl's own, which names the file and line.
            String m = String.valueOf(e.getMessage());
            int own = m.indexOf("): ");
            String said = own < 0 ? m : m.substring(own + 3);
            throw new RulesRefused(said.lines().findFirst().orElse(command + " " + file + " failed"));
        }
    }

    /** Megaflows in {@code dpctl/dump-flows} output: one line each. */
    static long megaflows(String dump) {
        return dump.lines().filter(l -> l.contains("actions:")).count();
    }

    private static void flows(OvsDaemons ovs, String bridge, String... flows) throws IOException, InterruptedException {
        ovs.ofctl("del-flows", bridge);
        for (String f : flows) {
            ovs.ofctl("add-flow", bridge, f);
        }
    }

    /** The thread id of ovs-vswitchd's (one) PMD thread, named {@code pmd-c..}. */
    private static long pmdThread(long pid) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path t : tasks) {
                    if (Files.readString(t.resolve("comm")).startsWith("pmd")) {
                        return Long.parseLong(t.getFileName().toString());
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("ovs-vswitchd (pid " + pid + ") has no PMD thread after 30 s");
    }

    /** utime + stime of thread {@code tid} of {@code pid}, in ns (clock ticks of 10 ms). */
    private static long threadCpuNs(long pid, long tid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields 14 and 15 of stat(5); f[0] is field 3.
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * CLOCK_TICK_NS;
    }

    static Figures figures(String stats, double seconds, long cpuNs, long megaflows) {
        long packets = stat(stats, "packets received");
        long recirc = stat(stats, "packet recirculations");
        long idle = 0;
        long processing = 0;
        Matcher m = CYCLES.matcher(stats);
        while (m.find()) {
            if (m.group(1).equals("idle")) {
                idle = Long.parseLong(m.group(2));
            } else {
                processing = Long.parseLong(m.group(2));
            }
        }
        double tscHz = (idle + processing) / seconds;
        double cyclesPerPacket = packets == 0 ? Double.NaN : (double) processing / packets;
        return new Figures(packets, recirc, seconds, packets == 0 ? Double.NaN : (double) cpuNs / packets,
                cyclesPerPacket, cyclesPerPacket / tscHz * 1e9, megaflows);
    }

    private static long stat(String stats, String name) {
        Matcher m = STAT.matcher(stats);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return (long) Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }
}
