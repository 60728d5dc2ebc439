package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.netns.Offloads;
import dev.jvswitch.testkit.sh.Sh;

/**
 * The FTP and TFTP ALGs with real transfers between two namespaces through the daemon, after
 * OVS's system tests "conntrack - FTP", "conntrack - TFTP" and "conntrack - FTP SNAT": h2 runs a
 * small FTP and TFTP server ({@code alg_peer.py}), h1 fetches a 256 KiB file with Python's
 * ftplib in active and passive mode, and with curl over TFTP, and checks its digest. With the
 * helper the data connections are {@code rel} and pass a firewall that admits only established
 * and related traffic from h2; without it the active transfer fails. Through SNAT the PORT text is
 * rewritten to the NAT address and the transfer still arrives whole. The dumps are compared as
 * OVS's tests compare them ({@link OvsCtText}).
 */
@Tag("netns")
class NetnsConntrackAlgTest {
    private static final Duration START = Duration.ofSeconds(60);

    /** OVS's flows2 of "conntrack - FTP": outgoing TCP treated as FTP, only related or established back. */
    private static final String FTP_FLOWS = """
                  - table=0,priority=1,actions=drop
                  - table=0,priority=10,arp,actions=normal
                  - table=0,priority=10,icmp,actions=normal
                  - table=0,priority=100,in_port=1,tcp,actions=ct(table=1)
                  - table=1,in_port=1,tcp,ct_state=+trk+new,actions=ct(commit,alg=ftp),output:2
                  - table=1,in_port=1,tcp,ct_state=+trk+est,actions=output:2
                  - table=0,priority=100,in_port=2,tcp,actions=ct(table=1)
                  - table=1,in_port=2,tcp,ct_state=+trk+new+rel,actions=ct(commit),output:1
                  - table=1,in_port=2,tcp,ct_state=+trk+est,actions=output:1
                  - table=1,in_port=2,tcp,ct_state=+trk-new+rel,actions=output:1
            """;

    /** OVS's flows3: the same without the helper. */
    private static final String NO_ALG_FLOWS = """
                  - table=0,priority=1,actions=drop
                  - table=0,priority=10,arp,actions=normal
                  - table=0,priority=10,icmp,actions=normal
                  - table=0,priority=100,in_port=1,tcp,actions=ct(commit),output:2
                  - table=0,priority=100,in_port=2,tcp,actions=ct(table=1)
                  - table=1,in_port=2,tcp,ct_state=+trk+est,actions=output:1
                  - table=1,in_port=2,tcp,ct_state=+trk+rel,actions=output:1
            """;

    /** OVS's flows2 of "conntrack - TFTP". */
    private static final String TFTP_FLOWS = """
                  - table=0,priority=1,actions=drop
                  - table=0,priority=10,arp,actions=normal
                  - table=0,priority=10,icmp,actions=normal
                  - table=0,priority=100,in_port=1,udp,actions=ct(table=1)
                  - table=1,in_port=1,udp,ct_state=+trk+new-rel,actions=ct(commit,alg=tftp),output:2
                  - table=1,in_port=1,udp,ct_state=+trk+new+rel,actions=ct(commit),output:2
                  - table=1,in_port=1,udp,ct_state=+trk+est,actions=output:2
                  - table=0,priority=100,in_port=2,udp,actions=ct(table=1)
                  - table=1,in_port=2,udp,ct_state=+trk+est,actions=output:1
                  - table=1,in_port=2,udp,ct_state=+trk+new+rel,actions=output:1
            """;

    /** h1 source-NATed to 10.77.0.100 in zone 1; data connections translated as their control connection. */
    private static final String SNAT_FLOWS = """
                  - priority=100,arp,actions=normal
                  - priority=10,ip,ct_state=-trk,actions=ct(table=1,zone=1,nat)
                  - table=1,priority=30,in_port=1,tcp,tp_dst=21,ct_state=+trk+new,actions=ct(commit,zone=1,nat(src=10.77.0.100),alg=ftp),output:2
                  - table=1,priority=20,in_port=1,tcp,ct_state=+trk+new+rel,actions=ct(commit,zone=1,nat),output:2
                  - table=1,priority=20,in_port=2,tcp,ct_state=+trk+new+rel,actions=ct(commit,zone=1,nat),output:1
                  - table=1,priority=15,in_port=1,icmp,ct_state=+trk+new,actions=ct(commit,zone=1),output:2
                  - table=1,priority=10,in_port=1,ip,ct_state=+trk+est,actions=output:2
                  - table=1,priority=10,in_port=2,ip,ct_state=+trk+est,actions=output:1
                  - table=1,priority=1,actions=drop
            """;

    @TempDir
    Path dir;

    @Test
    void ftpAndTftpDataConnectionsAreRelatedOnlyWithTheHelper() throws Exception {
        Needs.that(Sh.onPath("python3"), "python3");
        Needs.that(Sh.onPath("curl"), "curl (the TFTP client)");
        Path script = Path.of(getClass().getResource("/e2e/alg_peer.py").toURI());
        try (SwitchedHosts net = SwitchedHosts.create(dir)) {
            Hosts hosts = twoHosts(net);
            net.writeConfig(SwitchedHosts.config(false, FTP_FLOWS));
            DaemonProcess d = net.startDaemon(START);
            Process server = server(hosts, script);
            try {
                assertThat(hosts.ping(1, 2, 2, 0.2).output()).contains(" 0% packet loss");

                // Active FTP: the server's data connection from port 20 is related.
                assertThat(get(hosts, script, "active")).as(() -> d.ok("dpctl/dump-conntrack")).isEqualTo("ok");
                assertThat(OvsCtText.formatCt(d.ok("dpctl/dump-conntrack"), "10.77.0.2")).isEqualTo("""
                        tcp,orig=(src=10.77.0.1,dst=10.77.0.2,sport=<cleared>,dport=<cleared>),reply=(src=10.77.0.2,dst=10.77.0.1,sport=<cleared>,dport=<cleared>),protoinfo=(state=<cleared>),helper=ftp
                        tcp,orig=(src=10.77.0.2,dst=10.77.0.1,sport=<cleared>,dport=<cleared>),reply=(src=10.77.0.1,dst=10.77.0.2,sport=<cleared>,dport=<cleared>),protoinfo=(state=<cleared>)
                        """);
                d.ok("dpctl/flush-conntrack");

                // Passive FTP: the client's data connection is new+rel, committed with the helper too.
                assertThat(get(hosts, script, "passive")).isEqualTo("ok");
                assertThat(OvsCtText.formatCt(d.ok("dpctl/dump-conntrack"), "10.77.0.2")).isEqualTo("""
                        tcp,orig=(src=10.77.0.1,dst=10.77.0.2,sport=<cleared>,dport=<cleared>),reply=(src=10.77.0.2,dst=10.77.0.1,sport=<cleared>,dport=<cleared>),protoinfo=(state=<cleared>),helper=ftp
                        """);

                // Without the helper the active data connection is new, not related: dropped.
                net.writeConfig(SwitchedHosts.config(false, NO_ALG_FLOWS));
                d.ok("reload");
                d.ok("dpctl/flush-conntrack");
                assertThat(get(hosts, script, "active")).isNotEqualTo("ok");
                assertThat(OvsCtText.formatCt(d.ok("dpctl/dump-conntrack"), "10.77.0.2")).isEqualTo("""
                        tcp,orig=(src=10.77.0.1,dst=10.77.0.2,sport=<cleared>,dport=<cleared>),reply=(src=10.77.0.2,dst=10.77.0.1,sport=<cleared>,dport=<cleared>),protoinfo=(state=<cleared>)
                        """);

                // TFTP: the answer from a new server port is related.
                net.writeConfig(SwitchedHosts.config(false, TFTP_FLOWS));
                d.ok("reload");
                d.ok("dpctl/flush-conntrack");
                Path out = dir.resolve("tftp.out");
                Sh.Result curl = Sh.tryInNs(hosts.hostNs(1), "curl", "-s", "--max-time", "20",
                        "tftp://10.77.0.2/data", "-o", out.toString());
                assertThat(curl.exit()).as(curl.output()).isZero();
                assertThat(digest(out)).isEqualTo(expectedDigest(script));
                assertThat(OvsCtText.formatCt(d.ok("dpctl/dump-conntrack"), "10.77.0.2")).isEqualTo("""
                        udp,orig=(src=10.77.0.1,dst=10.77.0.2,sport=<cleared>,dport=<cleared>),reply=(src=10.77.0.2,dst=10.77.0.1,sport=<cleared>,dport=<cleared>),helper=tftp
                        """);
            } finally {
                server.destroy();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void ftpThroughSourceNatRewritesThePortCommand() throws Exception {
        Needs.that(Sh.onPath("python3"), "python3");
        Path script = Path.of(getClass().getResource("/e2e/alg_peer.py").toURI());
        try (SwitchedHosts net = SwitchedHosts.create(dir)) {
            Hosts hosts = twoHosts(net);
            // The NAT address lives nowhere: h2 is told which MAC reaches it.
            Sh.inNs(hosts.hostNs(2), "ip", "neigh", "replace", "10.77.0.100", "lladdr", hosts.mac(1), "dev", "eth0");
            net.writeConfig(SwitchedHosts.config(false, SNAT_FLOWS));
            DaemonProcess d = net.startDaemon(START);
            Process server = server(hosts, script);
            try {
                assertThat(hosts.ping(1, 2, 2, 0.2).output()).contains(" 0% packet loss");
                for (String mode : new String[] {"active", "passive", "active"}) {
                    assertThat(get(hosts, script, mode)).as(() -> mode + "\n" + d.ok("dpctl/dump-conntrack"))
                            .isEqualTo("ok");
                }
                String dump = d.ok("dpctl/dump-conntrack", "zone=1");
                // The control connection and the active data connection, both seen translated.
                assertThat(dump).containsPattern("tcp,orig=\\(src=10\\.77\\.0\\.1,dst=10\\.77\\.0\\.2,sport=\\d+,dport=21\\),"
                        + "reply=\\(src=10\\.77\\.0\\.2,dst=10\\.77\\.0\\.100,sport=21,dport=\\d+\\),zone=1,"
                        + "protoinfo=\\(state=\\w+\\),helper=ftp");
                assertThat(dump).containsPattern("tcp,orig=\\(src=10\\.77\\.0\\.2,dst=10\\.77\\.0\\.100,sport=20,dport=\\d+\\),"
                        + "reply=\\(src=10\\.77\\.0\\.1,dst=10\\.77\\.0\\.2,sport=\\d+,dport=20\\),zone=1");
            } finally {
                server.destroy();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Hosts twoHosts(SwitchedHosts net) {
        Hosts hosts = net.hosts;
        hosts.host(1);
        hosts.host(2);
        for (int n = 1; n <= 2; n++) {
            Offloads.txChecksumOff(hosts.hostNs(n), "eth0");
            Offloads.txChecksumOff(hosts.sw, "s" + n);
        }
        return hosts;
    }

    private static Process server(Hosts hosts, Path script) throws Exception {
        Process server = new ProcessBuilder(Sh.nsCommand(hosts.hostNs(2), "python3", script.toString(), "serve", "150"))
                .redirectErrorStream(true).start();
        server.getOutputStream().close();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        return server;
    }

    private static String get(Hosts hosts, Path script, String mode) {
        Sh.Result r = Sh.tryInNs(hosts.hostNs(1), "timeout", "20", "python3", script.toString(), "get", "10.77.0.2", mode);
        return r.exit() == 0 ? r.output().trim() : "exit " + r.exit() + ": " + r.output().trim();
    }

    private static String digest(Path file) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(file));
        return java.util.HexFormat.of().formatHex(d);
    }

    private static String expectedDigest(Path script) {
        return Sh.run("python3", script.toString(), "digest").trim();
    }
}
