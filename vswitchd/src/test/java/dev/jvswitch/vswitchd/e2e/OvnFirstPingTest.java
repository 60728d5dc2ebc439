package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * The time from {@code ovn-nbctl lsp-add} to the first answered ping, jvswitchd's chassis against
 * an OVS chassis at the same load: two two-chassis networks ({@link OvnTwoChassis}) run side by
 * side, one with jvswitchd on chassis A and one with ovs-vswitchd on both, and the rounds
 * alternate between them. A round adds two logical ports (pa on chassis A, pb on B) in one
 * transaction and pings pa -> pb until answered, then deletes them and waits until both chassis
 * caught up. Each round's timeline (when ovn-nbctl returned, both ovn-controllers' claims and
 * {@code ovn-installed}, the switch's bundle commit) is printed with the times, and what pa's
 * eth0 saw ({@link VifCapture}): when the ping began (its first ARP request), how many ARP and
 * echo requests it sent (more than one is a packet lost) and when the first reply came.
 */
class OvnFirstPingTest {
    /** Rounds per network: 2 in CI; {@code -Djvs.ovn.firstPingRounds=N} for a figure (5 or more). */
    private static final int ROUNDS = Integer.getInteger("jvs.ovn.firstPingRounds", 2);
    /**
     * {@code -Djvs.ovn.vconnDebug=true}: both switches log every OpenFlow message (OVS
     * {@code vconn:dbg}, jvswitchd {@code connmgr:dbg} and {@code ovsdb_idl:dbg}), so the timelines
     * show ovn-controller's bundles and barriers on each. Off by default: a line (and a file write)
     * per message slows the switch that logs it, so a figure is taken with both at their default
     * levels.
     */
    private static final boolean VCONN_DEBUG = Boolean.getBoolean("jvs.ovn.vconnDebug");
    /**
     * {@code -Djvs.ovn.keepLogs=DIR}: each round's slice of ovn-controller A's log and of chassis
     * A's switch log is written to DIR, and both ovn-controllers also log {@code vconn},
     * {@code ofctrl} and {@code inc_proc_eng} at debug: when each bundle and barrier went out, when
     * each reply came back, and which engine run did what in between (so a round's
     * INSTALL_FLOWS -> MARK_UP can be read message by message). Slows ovn-controller a little, on
     * both networks alike; off by default.
     */
    private static final Path KEEP_LOGS = System.getProperty("jvs.ovn.keepLogs") == null ? null
            : Path.of(System.getProperty("jvs.ovn.keepLogs"));
    /**
     * {@code -Djvs.ovn.profile=DIR}: for each jvswitchd round, every daemon thread's CPU and
     * run-queue wait over the round ({@code /proc/PID/task/TID/schedstat}: who ran and who waited for
     * a CPU) is written to {@code DIR/jvswitchd-R-threads.txt}, and, if the daemon runs a flight
     * recording ({@code -Djvs.daemon.javaOpts=-XX:StartFlightRecording}), it is dumped to
     * {@code DIR/jvswitchd-R.jfr} before the next round (the test's close kills the daemon, so a
     * dump-on-exit writes nothing).
     */
    private static final Path PROFILE = System.getProperty("jvs.ovn.profile") == null ? null
            : Path.of(System.getProperty("jvs.ovn.profile"));
    /**
     * 4 MiB TCP transfers each way per network after the rounds ({@code -Djvs.ovn.tcpRounds=N};
     * none in CI: a loaded machine measures its load, not the switches).
     */
    /**
     * {@code -Djvs.ovn.underlay=true}: the underlay is captured too, at chassis B's end ({@code ub}:
     * a switch's AF_PACKET sends bypass taps on its own side), and each round prints the ARP, ICMP
     * and UDP packets it carried (the tunnel endpoint's ARP, the
     * encapsulated echo and its reply, each with its time since lsp-add), next to pa's eth0 with
     * every packet it saw. Off by default: two more tcpdumps per round.
     */
    private static final boolean UNDERLAY = Boolean.getBoolean("jvs.ovn.underlay");
    private static final int TCP_ROUNDS = Integer.getInteger("jvs.ovn.tcpRounds", 0);
    private static final Pattern OVN_LINE = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3})Z\\|.*$",
            Pattern.MULTILINE);
    private static final Pattern JVS_LINE = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*$",
            Pattern.MULTILINE);

    @Test
    void firstPingAfterLspAddAgainstAnOvsChassis(@TempDir Path dir) throws Exception {
        Needs.that(OvnTwoChassis.available(), "root, ip, ping, tcpdump, python3, Open vSwitch (ovsdb-server,"
                + " ovs-vswitchd, ovs-vsctl, ovs-ofctl) and OVN (ovn-central, ovn-host)");
        try (OvnTwoChassis jvs = new OvnTwoChassis(dir.resolve("jvs"), "geneve");
                OvnTwoChassis ovs = new OvnTwoChassis(dir.resolve("ovs"), "geneve", true)) {
            List<OvnTwoChassis> nets = List.of(jvs, ovs);
            for (OvnTwoChassis n : nets) {
                n.central.nbctl("ls-add", "sw0");
                n.host("pa", "10.0.0.1", null);
                n.host("pb", "10.0.0.2", null);
                n.plug("pa", "a");
                n.plug("pb", "b");
                verbose(n);
            }
            double[][] s = new double[2][ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                for (int i = 0; i < 2; i++) {
                    s[i][r] = round(nets.get(i), i == 0 ? "jvswitchd" : "ovs", r);
                }
            }
            report("first ping after lsp-add, %d rounds: jvswitchd chassis %s s (median %.2f), OVS on both %s s"
                    + " (median %.2f)", ROUNDS, list(s[0], "%.2f"), median(s[0]), list(s[1], "%.2f"), median(s[1]));
            if (TCP_ROUNDS > 0) {
                tcp(nets);
            }
            assertThat(OvnChassisTest.errorsSent(jvs.jvs.log())).as("error replies jvswitchd sent").isEmpty();
        }
    }

    /**
     * pa (chassis A) and pb (B) on one switch again; 4 MiB pa -> pb and pb -> pa, alternating
     * between the networks, {@link #TCP_ROUNDS} times each; Mbit/s of each and the median, with
     * the share of segments the sender sent again. The jvswitchd network also gets chassis C, a
     * second jvswitchd ({@link OvnTwoChassis#addJvswitchChassis}) with pf on it, so that a
     * jvswitch-jvswitch pair (pa and pf) is measured beside OVS-OVS: in the mixed pair each
     * direction crosses one OVS chassis, which bounds it.
     */
    private static void tcp(List<OvnTwoChassis> nets) throws IOException {
        for (OvnTwoChassis n : nets) {
            addPorts(n);
            n.awaitPing("pa", n.vif("pb").ip(), System.nanoTime(), "tcp");
        }
        OvnTwoChassis jvs = nets.get(0);
        jvs.addJvswitchChassis("geneve");
        OvnTwoChassis.Vif pf = jvs.host("pf", "10.0.0.6", null);
        jvs.plug("pf", "c");
        jvs.central.nbctl("lsp-add", "sw0", "pf", "--", "lsp-set-addresses", "pf", pf.mac() + " " + pf.ip());
        jvs.awaitPing("pf", "10.0.0.1", System.nanoTime(), "tcp: pf on chassis c");
        String[] names = {"jvswitchd-OVS", "OVS-OVS", "jvswitchd-jvswitchd"};
        OvnTwoChassis[] net = {jvs, nets.get(1), jvs};
        String[] far = {"pb", "pb", "pf"};
        OvnTwoChassis.TcpRun[][] there = new OvnTwoChassis.TcpRun[3][TCP_ROUNDS];
        OvnTwoChassis.TcpRun[][] back = new OvnTwoChassis.TcpRun[3][TCP_ROUNDS];
        for (int r = 0; r < TCP_ROUNDS; r++) {
            for (int i = 0; i < 3; i++) {
                there[i][r] = net[i].tcpRun(far[i], "pa", 4 << 20);
                back[i][r] = net[i].tcpRun("pa", far[i], 4 << 20);
            }
        }
        for (int i = 0; i < 3; i++) {
            String c = far[i].equals("pf") ? "C" : "B";
            report("4 MiB TCP %s, %d rounds: A->%s %s; %s->A %s", names[i], TCP_ROUNDS, c, runs(there[i]), c,
                    runs(back[i]));
        }
    }

    /** "Mbit/s of each run (median M), retransmitted R1..R2 %". */
    private static String runs(OvnTwoChassis.TcpRun[] runs) {
        double[] mbits = Arrays.stream(runs).mapToDouble(OvnTwoChassis.TcpRun::mbits).toArray();
        double[] re = Arrays.stream(runs).mapToDouble(OvnTwoChassis.TcpRun::retransmitted).sorted().toArray();
        return String.format("%s Mbit/s (median %.0f), segments sent again %.1f-%.1f %%", list(mbits, "%.0f"),
                median(mbits), 100 * re[0], 100 * re[re.length - 1]);
    }

    /** Logical ports pa and pb on sw0, in one transaction. */
    private static void addPorts(OvnTwoChassis n) {
        OvnTwoChassis.Vif pa = n.vif("pa");
        OvnTwoChassis.Vif pb = n.vif("pb");
        n.central.nbctl("lsp-add", "sw0", "pa", "--", "lsp-set-addresses", "pa", pa.mac() + " " + pa.ip(), "--",
                "lsp-add", "sw0", "pb", "--", "lsp-set-addresses", "pb", pb.mac() + " " + pb.ip());
    }

    /** One lsp-add, ping, lsp-del round on {@code n}; seconds to the first answered ping. */
    private static double round(OvnTwoChassis n, String what, int r) throws IOException {
        for (String p : List.of("pa", "pb")) {
            Sh.tryInNs(n.vif(p).ns(), "ip", "neigh", "flush", "dev", "eth0");
        }
        long logA = size(ovnLog(n));
        long logB = size(ovnLogB(n));
        long logSw = size(switchLog(n));
        OvnTwoChassis.Vif pb = n.vif("pb");
        VifCapture capture = VifCapture.start(n.vif("pa").ns(), n.dir.resolve("pa-" + r + ".txt"));
        VifCapture under = UNDERLAY ? VifCapture.start(n.nsB, "ub", "arp or icmp or udp", n.dir.resolve("ub-" + r + ".txt"))
                : null;
        long wall = System.currentTimeMillis();
        Map<String, long[]> threads = PROFILE != null && n.jvs != null ? ThreadSched.read(n.jvs.pid()) : null;
        long t0 = System.nanoTime();
        double first;
        long nbctlNs;
        try {
            addPorts(n);
            nbctlNs = System.nanoTime() - t0;
            first = n.awaitPing("pa", pb.ip(), t0, what + " round " + r);
        } catch (RuntimeException | Error e) {
            capture.close();
            if (under != null) {
                under.close();
            }
            throw e;
        }
        String packets = capture.summary(pb.ip(), wall);
        if (under != null) {
            packets += String.format("%n  pa's eth0:%n%s  the underlay at chassis B (ub):%n%s",
                    VifCapture.reread(n.dir.resolve("pa-" + r + ".txt"), wall, 12), under.lines(wall, 16));
        }
        if (threads != null) {
            ThreadSched.report(n.jvs.pid(), threads, PROFILE.resolve(what + "-" + r + "-threads.txt"));
            Sh.tryRun("jcmd", Long.toString(n.jvs.pid()), "JFR.dump",
                    "filename=" + PROFILE.resolve(what + "-" + r + ".jfr"));
        }
        StringBuilder t = new StringBuilder();
        // The first echo leaves pa only after ovn-nbctl returned: the ping's start, not the switch.
        t.append(String.format("  %6d ms test: ovn-nbctl lsp-add returned, pinging%n", nbctlNs / 1_000_000));
        t.append(String.format("  %s%n", packets));
        timeline(t, "ovn-controller a", tailFrom(ovnLog(n), logA), OVN_LINE, true, wall);
        timeline(t, "ovn-controller b", tailFrom(ovnLogB(n), logB), OVN_LINE, true, wall);
        timeline(t, what, tailFrom(switchLog(n), logSw), what.equals("ovs") ? OVN_LINE : JVS_LINE,
                what.equals("ovs"), wall);
        report("%s round %d: first ping %.3f s after lsp-add%n%s", what, r, first, t);
        if (KEEP_LOGS != null) {
            Files.createDirectories(KEEP_LOGS);
            String head = "lsp-add at " + java.time.Instant.ofEpochMilli(wall) + "\n";
            Files.writeString(KEEP_LOGS.resolve(what + "-" + r + "-ovn-controller-a.log"), head + tailFrom(ovnLog(n), logA));
            Files.writeString(KEEP_LOGS.resolve(what + "-" + r + "-switch-a.log"), head + tailFrom(switchLog(n), logSw));
        }
        n.central.nbctl("lsp-del", "pa", "--", "lsp-del", "pb");
        n.central.nbctl("--wait=hv", "sync");
        Await.until(OvnTwoChassis.CONVERGE, Duration.ofMillis(50), () -> !n.pings("pa", pb.ip()),
                () -> what + ": pa still reaches pb after lsp-del\n" + n.logs());
        return first;
    }

    private static void verbose(OvnTwoChassis n) throws IOException {
        for (String c : List.of("a", "b")) {
            try (Stream<Path> s = Files.list(n.ovnDir(c))) {
                for (Path ctl : s.filter(p -> p.getFileName().toString().endsWith(".ctl")).toList()) {
                    Sh.tryRun("ovn-appctl", "-t", ctl.toString(), "vlog/set", "binding:dbg", "if_status:dbg");
                    if (KEEP_LOGS != null) {
                        Sh.tryRun("ovn-appctl", "-t", ctl.toString(), "vlog/set", "vconn:dbg", "ofctrl:dbg",
                                "inc_proc_eng:dbg");
                    }
                }
            }
        }
        if (n.jvs == null && VCONN_DEBUG) {
            Sh.tryRun("ovs-appctl", "-t", n.rundir("a").resolve("vswitchd.ctl").toString(), "vlog/set", "vconn:dbg");
        }
        if (n.jvs != null && VCONN_DEBUG) {
            n.jvs.ok("vlog/set", "connmgr:dbg");
            n.jvs.ok("vlog/set", "ovsdb_idl:dbg");
        }
    }

    private static Path ovnLog(OvnTwoChassis n) {
        return n.ovnDir("a").resolve("ovn-controller.log");
    }

    private static Path ovnLogB(OvnTwoChassis n) {
        return n.ovnDir("b").resolve("ovn-controller.log");
    }

    private static Path switchLog(OvnTwoChassis n) {
        return n.jvs != null ? n.jvs.log : n.rundir("a").resolve("vswitchd.log");
    }

    private static long size(Path p) throws IOException {
        return Files.exists(p) ? Files.size(p) : 0;
    }

    private static String tailFrom(Path p, long offset) throws IOException {
        byte[] b = Files.readAllBytes(p);
        return new String(b, (int) Math.min(offset, b.length), (int) Math.max(0, b.length - offset),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Lines of {@code log} that matter for a first ping, each as milliseconds since {@code wallMs}. */
    private static void timeline(StringBuilder out, String who, String log, Pattern line, boolean utc, long wallMs) {
        Matcher m = line.matcher(log);
        int shown = 0;
        while (m.find() && shown < 400) {
            String l = m.group();
            if (!l.matches(".*(Claiming|ovn-installed|Setting lport|bundle|committed|barrier|BARRIER|port_status"
                    + "|PORT_STATUS|BUNDLE|physical_flow|flow_output|runtime_data|recompute|ofctrl_put|commit|"
                    + "if_status|binding|ofport|flow_mod|connected|installed|seqno|BundleAdd).*")) {
                continue;
            }
            LocalDateTime ts = LocalDateTime.parse(m.group(1).replace(' ', 'T'));
            long ms = (utc ? ts.atZone(ZoneId.of("UTC")) : ts.atZone(ZoneId.systemDefault())).toInstant().toEpochMilli()
                    - wallMs;
            out.append(String.format("  %6d ms %s: %s%n", ms, who, l.length() > 220 ? l.substring(0, 220) : l));
            shown++;
        }
    }

    /** The values of {@code v} in {@code format}, separated by spaces. */
    private static String list(double[] v, String format) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.length() == 0 ? "" : " ").append(String.format(format, x));
        }
        return b.toString();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void report(String format, Object... args) throws IOException {
        List<Object> a = new ArrayList<>(List.of(args));
        a.add(Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.printf("OvnFirstPingTest: " + format + " (load %s)%n", a.toArray());
    }
}
