package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.CpuSet;
import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.vswitchd.Ctl;
import dev.jvswitch.vswitchd.TestSwitch;
import dev.jvswitch.vswitchd.control.Json;

/**
 * jvswitchd started from a config file in a JVM of its own, with ports that need no interfaces
 * ({@code null}): validation and its exit status, every command name of the issue, reload by
 * command and by SIGHUP (a good file applied as a difference, a bad one changing nothing), a
 * second daemon on the same socket, and a clean SIGTERM shutdown with the leak check in the log.
 */
class DaemonProcessTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private DaemonProcess daemon;

    private static final String CONFIG = """
            datapath:
              pmd-idle: backoff
            mempool:
              mbufs: 1024
            bridges:
              br0:
                ports:
                  a: {type: null, ofport: 1}
                  b: {type: null, ofport: 2}
                  v: {type: null, ofport: 3, tag: 10}
                flows:
                  - priority=0,actions=normal
            control:
              socket: ctl/jvswitchd.sock
              log-level: info
            """;

    @AfterEach
    void tearDown() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private Path write(String text) throws IOException {
        return TestSwitch.writeConfig(dir, text);
    }

    private DaemonProcess start(String text) throws IOException {
        daemon = new DaemonProcess(write(text), dir.resolve("ctl/jvswitchd.sock"), dir).start(null, START);
        return daemon;
    }

    @Test
    void invalidConfigPrintsEveryErrorAndExitsWith2() throws Exception {
        Path bad = write(CONFIG.replace("pmd-idle: backoff", "pmd-idle: fast").replace("ofport: 2", "ofport: 1"));
        Process p = new ProcessBuilder(DaemonProcess.javaCommand("dev.jvswitch.vswitchd.Jvswitchd", "--config",
                bad.toString())).redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out.lines().toList()).containsExactly(
                bad + ":2: datapath.pmd-idle: must be one of busy, backoff, sleep; got 'fast'",
                bad + ":9: bridges.br0.ports.b.ofport: ofport 1 is already used by port a (line 8)",
                "jvswitchd: 2 error(s) in " + bad + "; nothing started");
        assertThat(dir.resolve("ctl")).doesNotExist();
    }

    @Test
    void servesTheCommandsReloadsAndShutsDownCleanly() throws Exception {
        DaemonProcess d = start(CONFIG);
        assertThat(d.log()).contains("port a: null", "slow path: OpenFlow (ofproto-xlate)", "jvswitchd running: control socket "
                + d.socket);
        assertThat(Files.getPosixFilePermissions(d.socket)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(d.pidfile).trim()).isEqualTo(Long.toString(d.pid()));

        assertThat(d.ok("list-commands")).contains("dpctl/dump-flows [-m]", "dpctl/del-flows",
                "dpif-netdev/pmd-stats-show", "dpif-netdev/pmd-stats-clear", "dpif-netdev/pmd-rxq-show",
                "dpif-netdev/pmd-rxq-rebalance", "ofproto/trace", "upcall/show", "revalidator/wait", "fdb/show BRIDGE",
                "fdb/flush",
                "ofctl/dump-flows BRIDGE", "ofctl/add-flow BRIDGE FLOW", "ofctl/del-flows BRIDGE [MATCH]",
                "ofctl/add-group", "ofctl/dump-groups", "ofctl/dump-ports", "coverage/show", "reload", "exit");
        assertThat(d.ok("dpif-netdev/pmd-rxq-show")).contains("port: a", "port: b");
        assertThat(d.ok("dpif-netdev/pmd-stats-show")).contains("pmd thread numa_id 0", "packets received: 0");
        Object stats = Json.parse(d.ok("--json", "dpif-netdev/pmd-stats-show"));
        assertThat(stats).isInstanceOfSatisfying(List.class, l -> assertThat(l).hasSize(1));
        assertThat(d.ok("ofctl/dump-ports", "br0")).contains("OFPST_PORT reply (br0): 3 ports", "port  1 (a): rx pkts=0",
                "port  2 (b)");
        assertThat(d.ok("ofctl/dump-flows", "br0")).contains("priority=0 actions=NORMAL");
        assertThat(d.ok("upcall/show")).startsWith("system@ovs-system:\n").contains("flows         : (current 0)",
                "ufid enabled : true", "  0: (keys ", "flows deleted : (idle 0)");
        assertThat(d.ok("coverage/show")).contains("Event coverage", "control_requests");
        assertThat(d.ok("dpctl/dump-flows")).isEmpty();
        assertThat(d.ok("dpctl/del-flows")).isEqualTo("deleted 0 flows\n");
        assertThat(d.ok("ofctl/add-flow", "br0", "priority=10,in_port=1", "actions=output:2")).isEmpty();
        assertThat(d.ok("revalidator/wait")).isEmpty();
        assertThat(d.ok("ofproto/trace", "br0", "in_port=1")).endsWith("Datapath actions: 2\n");
        assertThat(d.ok("ofctl/del-flows", "br0", "in_port=1")).isEmpty();
        assertThat(d.ok("fdb/show", "br0")).isEqualTo(" port  VLAN  MAC                Age\n");

        Ctl unknown = d.ctl("dpctl/dump-flowz");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("jvsctl: unknown command 'dpctl/dump-flowz'; 'list-commands' shows them all\n");
        Ctl missing = d.ctl("ofctl/dump-flows");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("jvsctl: ofctl/dump-flows: missing arguments (usage: ofctl/dump-flows BRIDGE)\n");
        // Groups, and a flow that uses one.
        assertThat(d.ok("ofctl/add-group", "br0", "group_id=7,type=all,bucket=output:1,bucket=output:2")).isEmpty();
        assertThat(d.ok("ofctl/add-flow", "br0", "priority=20,in_port=2,actions=group:7")).isEmpty();
        assertThat(d.ok("ofctl/dump-groups", "br0")).isEqualTo(" group_id=7,type=all,bucket=actions=output:1,"
                + "bucket=actions=output:2\n");
        assertThat(d.ok("ofctl/dump-flows", "br0")).contains("priority=20,in_port=2 actions=group:7");
        assertThat(d.ok("ofproto/trace", "br0", "in_port=2")).contains("group:7").endsWith("Datapath actions: 1\n");
        Ctl dupGroup = d.ctl("ofctl/add-group", "br0", "group_id=7,type=all,bucket=output:1");
        assertThat(dupGroup.exit()).isEqualTo(1);
        assertThat(dupGroup.err()).contains("7");
        Ctl badFlow = d.ctl("ofctl/add-flow", "br0", "in_port=1,actions=outptu:2");
        assertThat(badFlow.exit()).isEqualTo(1);
        assertThat(badFlow.err()).isEqualTo("jvsctl: flow syntax error at column 19: unknown action 'outptu'\n");
        // The access port (tag 10): NORMAL floods its untagged frames to the trunks with the tag pushed.
        assertThat(d.ok("ofproto/trace", "br0", "in_port=3,dl_dst=ff:ff:ff:ff:ff:ff")).endsWith(
                "Datapath actions: push_vlan(vid=10,pcp=0),1,2\n");
        Ctl noBridge = d.ctl("fdb/show", "br9");
        assertThat(noBridge.exit()).isEqualTo(1);
        assertThat(noBridge.err()).isEqualTo("jvsctl: no bridge named br9 (bridges: br0)\n");

        // A second daemon on the same socket refuses to start and leaves the first alone.
        DaemonProcess second = new DaemonProcess(d.config, d.socket, Files.createDirectory(dir.resolve("second")));
        Process p = new ProcessBuilder(DaemonProcess.javaCommand("dev.jvswitch.vswitchd.Jvswitchd", "--config",
                d.config.toString())).redirectErrorStream(true).redirectOutput(second.log.toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(second.log()).contains("control socket " + d.socket + " is in use by a running jvswitchd");
        assertThat(d.ok("fdb/show", "br0")).isNotEmpty();

        // Reload by command: a new port, nothing else touched.
        write(CONFIG.replace("      b: {type: null, ofport: 2}\n", "      b: {type: null, ofport: 2}\n"
                + "      c: {type: null, ofport: 9}\n"));
        assertThat(d.ok("reload")).contains("added port c to bridge br0 as datapath port 9");
        assertThat(d.ok("dpif-netdev/pmd-rxq-show")).contains("port: c");

        // A file that does not validate changes nothing and says why.
        write(CONFIG.replace("priority=0,actions=normal", "priority=0,actions=normal,nw_ttl=3"));
        Ctl bad = d.ctl("reload");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("jvsctl: reload rejected, nothing changed: " + d.config + ":12: bridges.br0."
                + "flows[0]: flow syntax error at column 27: unknown action 'nw_ttl=3'\n");
        assertThat(d.ok("dpif-netdev/pmd-rxq-show")).contains("port: c");
        // So does one that changes a setting only a restart can.
        write(CONFIG.replace("mbufs: 1024", "mbufs: 2048"));
        assertThat(d.ctl("reload").err()).contains(":4: mempool.mbufs: cannot change while jvswitchd runs (was 1024)");

        // SIGHUP reloads too: port c goes, the flows change.
        write(CONFIG.replace("priority=0,actions=normal", "priority=5,actions=drop"));
        d.signal("HUP");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(20), () -> d.ok("ofctl/dump-flows", "br0").contains("priority=5 actions=drop"),
                () -> "SIGHUP to replace the flows; log:\n" + d.log());
        assertThat(d.ok("dpif-netdev/pmd-rxq-show")).doesNotContain("port: c");
        assertThat(d.ok("coverage/show")).contains("signal_hup", "reload_failed");

        assertThat(d.terminate(Duration.ofSeconds(30))).isZero();
        assertThat(d.log()).contains("shutting down (SIGTERM)", "leak check: all 1024 mbufs returned to mempool "
                + "'jvswitch'", "jvswitchd stopped").doesNotContain("ERROR", "Exception");
        assertThat(d.socket).doesNotExist();
        assertThat(d.pidfile).doesNotExist();
    }

    @Test
    void aBusyPmdHasItsCpuToItself() throws Exception {
        BitSet allowed = CpuSet.allowed();
        Needs.that(allowed.get(1) && allowed.cardinality() >= 2, "CPU 1 and another CPU allowed");
        BitSet others = (BitSet) allowed.clone();
        others.clear(1);
        DaemonProcess d = start(CONFIG.replace("pmd-idle: backoff", "pmd-idle: busy\n  pmd-cpu-mask: \"0x2\""));
        assertThat(d.log()).contains("kept on CPU(s) " + CpuSet.format(others) + ", off the busy PMDs' CPU(s) 1");
        Map<String, String> cpusByThread = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + d.pid() + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String cpus = Files.readAllLines(task.resolve("status")).stream()
                            .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                            .substring("Cpus_allowed_list:".length()).trim();
                    cpusByThread.put(name + "/" + task.getFileName(), cpus);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // A thread that ended while listed.
                }
            }
        }
        assertThat(cpusByThread).hasSizeGreaterThan(5);
        cpusByThread.forEach((thread, cpus) -> assertThat(cpus).as(thread + " in " + cpusByThread)
                .isEqualTo(thread.startsWith("pmd-") ? "1" : CpuSet.format(others)));
        assertThat(cpusByThread.keySet()).anyMatch(t -> t.startsWith("pmd-0/"));
        // A reload may still name the PMD's CPU: the daemon judges it by the CPUs it started with.
        assertThat(d.ok("reload").trim()).endsWith(": nothing changed");
    }

    @Test
    void exitCommandShutsDown() throws Exception {
        DaemonProcess d = start(CONFIG);
        assertThat(d.ok("exit")).isEmpty();
        Await.until(Duration.ofSeconds(30), Duration.ofMillis(20), () -> !d.isAlive(), () -> "jvswitchd to exit");
        assertThat(d.log()).contains("shutting down (exit command)", "leak check: all 1024 mbufs returned");
        assertThat(d.socket).doesNotExist();
        Ctl gone = d.ctl("list-commands");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).startsWith("jvsctl: cannot connect to " + d.socket + ": no such socket");
        assertThat(Map.of()).isEmpty();
    }
}
