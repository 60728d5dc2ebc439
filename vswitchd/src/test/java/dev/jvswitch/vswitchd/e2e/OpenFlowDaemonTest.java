package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.vswitchd.TestSwitch;
import dev.jvswitch.testkit.env.Needs;

/**
 * jvswitchd with an OpenFlow management socket, as OVS opens one: {@code ovs-ofctl br0} (with
 * OVS_RUNDIR at the daemon's directory) adds, dumps and deletes flows through the daemon's change
 * thread and the datapath's change barrier; {@code jvsctl ofconn/show} and {@code ofctl/show}
 * describe the channel; a reload remakes it.
 */
class OpenFlowDaemonTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private DaemonProcess daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private static String config(String listen) {
        return """
                datapath:
                  pmd-idle: backoff
                mempool:
                  mbufs: 512
                bridges:
                  br0:
                    ports:
                      a: {type: null, ofport: 1}
                      b: {type: null, ofport: 2}
                    datapath-id: 00000000000000b0
                """ + listen + """
                control:
                  socket: jvswitchd.sock
                """;
    }

    private String[] ofctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("OVS_RUNDIR", dir.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("ovs-ofctl " + String.join(" ", args)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.exitValue()).as("ovs-ofctl %s: %s\n%s", String.join(" ", args), err, daemon.log()).isZero();
        return out.split("\n");
    }

    @Test
    void ovsOfctlProgramsTheDaemonThroughItsManagementSocket() throws Exception {
        Needs.that(Files.isExecutable(Path.of("/usr/bin/ovs-ofctl")), "ovs-ofctl (openvswitch-common)");
        TestSwitch.writeConfig(dir, config("    listen: punix:br0.mgmt\n"));
        daemon = new DaemonProcess(dir.resolve("sw.yaml"), dir.resolve("jvswitchd.sock"), dir).start(null, START);

        ofctl("add-flow", "br0", "priority=10,in_port=1,actions=output:2");
        ofctl("add-flow", "br0", "priority=10,in_port=2,actions=output:1");
        List<String> flows = new ArrayList<>();
        for (String l : ofctl("--no-stats", "dump-flows", "br0")) {
            if (l.contains("actions=")) {
                flows.add(l.trim());
            }
        }
        assertThat(flows).containsExactlyInAnyOrder("priority=10,in_port=1 actions=output:2",
                "priority=10,in_port=2 actions=output:1", "priority=0 actions=NORMAL");
        // The same tables through jvsctl: one model, two front ends.
        assertThat(daemon.ok("ofctl/dump-flows", "br0")).contains("priority=10,in_port=1 actions=output:2");
        ofctl("del-flows", "br0", "in_port=1");
        assertThat(daemon.ok("ofctl/dump-flows", "br0")).doesNotContain("in_port=1 ");

        assertThat(daemon.ok("ofconn/show", "br0")).contains("bridge br0: datapath id 00000000000000b0")
                .contains("punix:" + dir.resolve("br0.mgmt") + ": listening");
        assertThat(daemon.ok("ofctl/show", "br0")).contains("dpid:00000000000000b0").contains(" 1(a): addr:")
                .contains(" 2(b): addr:");
        String[] show = ofctl("show", "br0");
        assertThat(String.join("\n", show)).contains("dpid:00000000000000b0").contains("1(a): addr:");

        // A port added by reload is announced to the connected clients (port status).
        TestSwitch.writeConfig(dir, config("    listen: [punix:br0.mgmt, \"ptcp:0\"]\n"));
        assertThat(daemon.ok("reload")).contains("remade the OpenFlow channel of br0");
        java.util.regex.Matcher pm = java.util.regex.Pattern.compile("ptcp:(\\d+):127.0.0.1: listening")
                .matcher(daemon.ok("ofconn/show", "br0"));
        assertThat(pm.find()).isTrue();
        try (dev.jvswitch.openflow.OfTestClient c = dev.jvswitch.openflow.OfTestClient.connect(
                Integer.parseInt(pm.group(1)), org.projectfloodlight.openflow.protocol.OFVersion.OF_13)) {
            TestSwitch.writeConfig(dir, config("    listen: [punix:br0.mgmt, \"ptcp:0\"]\n").replace(
                    "      b: {type: null, ofport: 2}\n", "      b: {type: null, ofport: 2}\n      c: {type: null, ofport: 3}\n"));
            assertThat(daemon.ok("reload")).contains("added port c");
            org.projectfloodlight.openflow.protocol.OFMessage m = c.read();
            assertThat(m).isInstanceOf(org.projectfloodlight.openflow.protocol.OFPortStatus.class);
            org.projectfloodlight.openflow.protocol.OFPortStatus ps = (org.projectfloodlight.openflow.protocol.OFPortStatus) m;
            assertThat(ps.getReason()).isEqualTo(org.projectfloodlight.openflow.protocol.OFPortReason.ADD);
            assertThat(ps.getDesc().getName()).isEqualTo("c");
        }

        // A reload that changes the channel remakes it; the tables stay.
        TestSwitch.writeConfig(dir, config("    listen: [punix:br0.mgmt, punix:other.mgmt]\n"));
        assertThat(daemon.ok("reload")).contains("remade the OpenFlow channel of br0");
        assertThat(daemon.ok("ofconn/show")).contains("other.mgmt: listening");
        assertThat(daemon.ok("ofctl/dump-flows", "br0")).contains("in_port=2 actions=output:1");
    }
}
