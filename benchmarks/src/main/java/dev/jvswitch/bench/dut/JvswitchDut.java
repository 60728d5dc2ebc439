package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * jvswitchd as a switch under test: a config file in a run directory of its own (one bridge, two
 * {@code afpacket} ports, or two {@code afxdp} ports, on the switch-side veth ends, {@code NORMAL},
 * one PMD on {@link DutOptions#pmdCpu()}), the daemon started in the foreground inside the switch
 * namespace, and its control socket used for the PMD counters.
 *
 * <p>{@link DutOptions#rxRing()} is written into afpacket port options only when it is set, so the
 * same driver starts builds that predate the option (for a before/after comparison). afxdp ports
 * take the port's defaults (2048-entry rings, as OVS-DPDK's {@code net_af_xdp}; the 16 384-mbuf
 * pool holds both ports' fill rings and frames in flight).
 */
final class JvswitchDut implements Dut {
    private static final Pattern SHARE = Pattern.compile("(idle|processing) time: (\\d+) ns \\(([0-9.]+)%\\)");
    private static final Pattern BATCH = Pattern.compile("avg\\. packets per output batch: ([0-9.]+)");
    private static final Pattern NS_PER_PACKET = Pattern.compile("avg\\. processing ns per packet: ([0-9.]+)");
    private static final long START_TIMEOUT_NS = 90_000_000_000L;

    private final DutOptions options;
    private final boolean afxdp;
    private Path run;
    private DaemonProcess daemon;

    JvswitchDut(DutOptions options, boolean afxdp) {
        this.options = options;
        this.afxdp = afxdp;
    }

    static String missing(DutOptions o) {
        Path launcher = o.jvswitchd();
        if (launcher == null || !Files.isExecutable(launcher)) {
            return "no jvswitchd launcher at " + launcher;
        }
        // The distribution archive has lib/; the source tree has the build's target/ (as bin/jvswitchd looks).
        Path root = launcher.toAbsolutePath().getParent().getParent();
        Path jar = root.resolve("lib/jvswitchd.jar");
        if (!Files.isRegularFile(jar)) {
            jar = root.resolve("vswitchd/target/jvswitchd.jar");
        }
        if (!Files.isRegularFile(jar)) {
            return jar + " not found (build with: mvn -B -DskipTests package)";
        }
        return null;
    }

    @Override
    public DutKind kind() {
        return afxdp ? DutKind.JVSWITCH_AFXDP : DutKind.JVSWITCH;
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        if (afxdp) {
            s.put("ports", "afxdp (xdp-mode best-effort)");
        } else {
            s.put("rxRing", options.rxRing() == null ? "default" : options.rxRing());
        }
        s.put("pmdIdle", options.pmdIdle());
        s.put("pmdCpu", Integer.toString(options.pmdCpu()));
        s.put("build", options.jvswitchd().toAbsolutePath().getParent().getParent().toString());
        return s;
    }

    @Override
    public void start(DutTopology topo) throws IOException, InterruptedException {
        run = Files.createDirectories(options.runDir().resolve("jvswitch-" + topo.id + "-" + options.pmdIdle()
                + (afxdp ? "-afxdp" : options.rxRing() == null ? "" : "-" + options.rxRing())));
        Path config = run.resolve("jvswitch.yaml");
        Files.writeString(config, config(topo));
        Path pidfile = run.resolve("jvswitchd.pid");
        daemon = DaemonProcess.start("jvswitchd", topo.swNs, List.of(options.jvswitchd().toString(), "--config",
                config.toString(), "--foreground", "--pidfile", pidfile.toString()), Map.of(),
                run.resolve("jvswitchd.log"));
        long deadline = System.nanoTime() + START_TIMEOUT_NS;
        while (!Files.exists(pidfile)) {
            daemon.checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IOException("jvswitchd did not start within 90 s; log:\n" + daemon.tail(20));
            }
            Thread.sleep(50);
        }
    }

    private String config(DutTopology topo) {
        String type = afxdp ? "afxdp" : "afpacket";
        String ring = afxdp || options.rxRing() == null ? "" : ", rx-ring: " + options.rxRing();
        return "# Written by jvs-bench for one run; removed with its run directory.\n"
                + "datapath:\n"
                + (options.pmdCpu() >= 0 ? "  pmd-cpu-mask: " + options.pmdCpuMask() + "\n" : "")
                + "  pmd-idle: " + options.pmdIdle() + "\n"
                + "mempool:\n"
                + "  mbufs: 16384\n"
                + "bridges:\n"
                + "  br0:\n"
                + "    ports:\n"
                + "      p1: {type: " + type + ", ofport: 1, options: {ifname: " + topo.sw1If + ring + "}}\n"
                + "      p2: {type: " + type + ", ofport: 2, options: {ifname: " + topo.sw2If + ring + "}}\n"
                + "    flows:\n"
                + "      - priority=0,actions=NORMAL\n"
                + "control:\n"
                + "  socket: " + run.resolve("jvswitchd.sock") + "\n"
                + "  log-level: info\n";
    }

    @Override
    public long cpuTimeNs() {
        return daemon == null ? -1 : daemon.cpuTimeNs();
    }

    @Override
    public void clearCounters() throws IOException, InterruptedException {
        jvsctl("dpif-netdev/pmd-stats-clear");
    }

    /** The PMD's idle and processing shares as {@code pmd-stats-show} prints them. */
    @Override
    public Map<String, String> counters() throws IOException, InterruptedException {
        Map<String, String> c = new LinkedHashMap<>();
        String show = jvsctl("dpif-netdev/pmd-stats-show");
        Matcher m = SHARE.matcher(show);
        while (m.find()) {
            c.put("pmd" + (m.group(1).equals("idle") ? "Idle" : "Processing") + "Pct", m.group(3));
        }
        Matcher b = BATCH.matcher(show);
        if (b.find()) {
            c.put("packetsPerOutputBatch", b.group(1));
        }
        Matcher ns = NS_PER_PACKET.matcher(show);
        if (ns.find()) {
            c.put("processingNsPerPacket", ns.group(1));
        }
        return c;
    }

    private String jvsctl(String command) throws IOException, InterruptedException {
        daemon.checkAlive();
        Path jvsctl = options.jvswitchd().toAbsolutePath().getParent().resolve("jvsctl");
        return Shell.run(jvsctl.toString(), "--socket", run.resolve("jvswitchd.sock").toString(), command);
    }

    @Override
    public void close() {
        if (daemon != null) {
            daemon.stop();
        }
    }

    @Override
    public String toString() {
        return kind().label() + " " + settings();
    }
}
