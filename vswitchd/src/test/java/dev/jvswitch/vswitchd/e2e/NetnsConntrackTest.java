package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.netns.Offloads;
import dev.jvswitch.testkit.sh.Sh;

/**
 * Connection tracking and NAT through the daemon with real traffic between two namespaces: a
 * stateful firewall where h1 may open TCP, UDP and ICMP to h2 and h2 may open nothing to h1,
 * h1's connections to h2 source-NATed to 10.77.0.100 with ports 20000-20999, and
 * 10.77.0.200:80 destination-NATed (port forwarding) to h2's 8080. Checked on the far side: a
 * 4 MB TCP transfer arrives byte for byte, a few hundred concurrent connections arrive from
 * distinct ports of the NAT address, the forwarded connection's replies come back from
 * 10.77.0.200:80, the port-unreachable error for a NATed UDP flow reaches the sender's socket,
 * and flush-conntrack (all, or one connection by its original tuple) empties the table.
 * Checksum offload is off on the veths (conntrack marks a bad L4 checksum {@code inv}).
 */
@Tag("netns")
class NetnsConntrackTest {
    private static final Duration START = Duration.ofSeconds(60);
    private static final int CONNECTIONS = 300;
    private static final String FLOWS = """
                  - priority=100,arp,actions=normal
                  - priority=10,ip,ct_state=-trk,actions=ct(table=1,zone=1,nat)
                  - table=1,priority=30,in_port=1,tcp,nw_dst=10.77.0.200,tp_dst=80,ct_state=+trk+new,actions=ct(commit,zone=1,nat(dst=10.77.0.2:8080)),output:2
                  - table=1,priority=20,in_port=1,ip,nw_dst=10.77.0.2,ct_state=+trk+new,actions=ct(commit,zone=1,nat(src=10.77.0.100:20000-20999)),output:2
                  - table=1,priority=10,in_port=1,ip,ct_state=+trk+est,actions=output:2
                  - table=1,priority=10,in_port=2,ip,ct_state=+trk+est,actions=output:1
                  - table=1,priority=10,in_port=2,ip,ct_state=+trk+rel,actions=output:1
                  - table=1,priority=1,actions=drop
            """;

    @TempDir
    Path dir;

    @Test
    void firewallSnatDnatAndRelatedIcmpWithRealTraffic() throws Exception {
        Needs.that(Sh.onPath("python3"), "python3");
        Path script = Path.of(getClass().getResource("/e2e/ct_peer.py").toURI());
        try (SwitchedHosts net = SwitchedHosts.create(dir)) {
            Hosts hosts = net.hosts;
            hosts.host(1);
            hosts.host(2);
            for (int n = 1; n <= 2; n++) {
                Offloads.txChecksumOff(hosts.hostNs(n), "eth0");
                Offloads.txChecksumOff(hosts.sw, "s" + n);
            }
            // The NAT addresses live nowhere: each host is told which MAC reaches them.
            Sh.inNs(hosts.hostNs(2), "ip", "neigh", "replace", "10.77.0.100", "lladdr", hosts.mac(1), "dev", "eth0");
            Sh.inNs(hosts.hostNs(1), "ip", "neigh", "replace", "10.77.0.200", "lladdr", hosts.mac(2), "dev", "eth0");
            net.writeConfig(SwitchedHosts.config(false, FLOWS));
            DaemonProcess d = net.startDaemon(START);
            Process server = new ProcessBuilder(Sh.nsCommand(hosts.hostNs(2), "python3", script.toString(), "serve",
                    "120")).redirectErrorStream(true).start();
            try {
                server.getOutputStream().close();
                BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                        StandardCharsets.UTF_8));
                assertThat(out.readLine()).isEqualTo("ready");

                // h1 may ping h2 (SNATed, un-NATed back); h2 cannot open anything to h1.
                assertThat(hosts.ping(1, 2, 3, 0.2).output()).contains(" 0% packet loss");
                assertThat(hosts.ping(2, 1, 2, 0.2).output()).contains("100% packet loss");

                assertThat(client(hosts, script, "bulk", "4194304"))
                        .startsWith("bulk ok 4194304 bytes seen-from 10.77.0.100:");
                assertThat(client(hosts, script, "udp")).isEqualTo("udp ping from 10.77.0.2:5353");
                assertThat(client(hosts, script, "dnat"))
                        .matches("dnat seen-from 10\\.77\\.0\\.1:\\d+ peer 10\\.77\\.0\\.200:80");
                assertThat(client(hosts, script, "refused")).isEqualTo("refused ok");

                String many = client(hosts, script, "many", Integer.toString(CONNECTIONS));
                Matcher m = Pattern.compile("many (\\d+) distinct-ports (\\d+) addrs (\\S+) min (\\d+) max (\\d+)")
                        .matcher(many);
                assertThat(m.matches()).as(many).isTrue();
                assertThat(Integer.parseInt(m.group(2))).as(many).isEqualTo(CONNECTIONS);
                assertThat(m.group(3)).isEqualTo("10.77.0.100");
                assertThat(Integer.parseInt(m.group(4))).isGreaterThanOrEqualTo(20000);
                assertThat(Integer.parseInt(m.group(5))).isLessThanOrEqualTo(20999);

                // One connection flushed by its original (pre-NAT) tuple, then the rest.
                String dump = d.ok("dpctl/dump-conntrack", "zone=1");
                Matcher udp = Pattern.compile("udp,orig=\\(src=10\\.77\\.0\\.1,dst=10\\.77\\.0\\.2,sport=(\\d+),dport=5353\\),"
                        + "reply=\\(src=10\\.77\\.0\\.2,dst=10\\.77\\.0\\.100,sport=5353,dport=(\\d+)\\),zone=1").matcher(dump);
                assertThat(udp.find()).as(dump).isTrue();
                assertThat(Integer.parseInt(udp.group(2))).isBetween(20000, 20999);
                d.ok("dpctl/flush-conntrack", "zone=1", "ct_nw_src=10.77.0.1,ct_nw_dst=10.77.0.2,ct_nw_proto=17,"
                        + "ct_tp_src=" + udp.group(1) + ",ct_tp_dst=5353");
                assertThat(d.ok("dpctl/dump-conntrack", "zone=1")).doesNotContain("dport=5353)");
                d.ok("dpctl/flush-conntrack");
                assertThat(d.ok("dpctl/ct-get-nconns").trim()).isEqualTo("0");
                // New connections open again after the flush; h2 still cannot open any.
                assertThat(hosts.ping(1, 2, 2, 0.2).output()).contains(" 0% packet loss");
                assertThat(hosts.ping(2, 1, 2, 0.2).output()).contains("100% packet loss");
            } finally {
                server.destroy();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static final String FIREWALL = """
                  - priority=100,arp,actions=normal
                  - priority=10,ip,ct_state=-trk,actions=ct(table=1,zone=1)
                  - table=1,priority=20,in_port=1,ip,ct_state=+trk+new,actions=ct(commit,zone=1),output:2
                  - table=1,priority=10,in_port=1,ip,ct_state=+trk+est,actions=output:2
                  - table=1,priority=10,in_port=2,ip,ct_state=+trk+est,actions=output:1
                  - table=1,priority=1,actions=drop
            """;

    /**
     * Fragmented ICMP through the stateful firewall: h1's 3000- and 4000-byte pings (three
     * fragments each way) are reassembled for conntrack, their fragments forwarded, and their
     * fragmented replies pass as established; h2's big pings to h1 are new and dropped. The
     * daemon's ipf counters show the fragments completed and none held afterwards.
     */
    @Test
    void fragmentedPingsPassTheFirewallOnlyFromTheInside() throws Exception {
        try (SwitchedHosts net = SwitchedHosts.create(dir)) {
            Hosts hosts = net.hosts;
            hosts.host(1);
            hosts.host(2);
            for (int n = 1; n <= 2; n++) {
                Offloads.txChecksumOff(hosts.hostNs(n), "eth0");
                Offloads.txChecksumOff(hosts.sw, "s" + n);
            }
            net.writeConfig(SwitchedHosts.config(false, FIREWALL));
            DaemonProcess d = net.startDaemon(START);
            // A small ping first: ARP resolved and the daemon warm before the fragments' turn.
            assertThat(hosts.ping(1, 2, 2, 0.2).output()).contains(" 0% packet loss");
            for (String size : new String[] {"3000", "4000"}) {
                String first = bigPing(hosts, 1, 2, size).output();
                // On failure, what the daemon saw.
                assertThat(first).as(() -> first + d.ok("dpctl/ipf-get-status") + d.ok("dpctl/dump-flows")
                        + d.ok("dpctl/dump-conntrack")).contains(" 0% packet loss");
                assertThat(bigPing(hosts, 2, 1, size).output()).contains("100% packet loss");
            }
            String status = d.ok("dpctl/ipf-get-status");
            Matcher completed = Pattern.compile("v4 frags completed: (\\d+)").matcher(status);
            assertThat(completed.find()).as(status).isTrue();
            // Each big ping is 3 fragments each way; the request goes through ct twice.
            assertThat(Long.parseLong(completed.group(1))).as(status).isGreaterThanOrEqualTo(2 * 3 * 9);
            assertThat(status).contains("        num frag: 0\n");
            assertThat(status).contains("        v4 enabled: 1\n");
            d.ok("dpctl/ipf-set-disabled", "v4");
            assertThat(d.ok("dpctl/ipf-get-status")).contains("        v4 enabled: 0\n");
            // Without reassembly a fragment is inv to conntrack, so the firewall drops them.
            assertThat(bigPing(hosts, 1, 2, "3000").output()).contains("100% packet loss");
            assertThat(hosts.ping(1, 2, 2, 0.2).output()).contains(" 0% packet loss");
        }
    }

    private static Sh.Result bigPing(Hosts hosts, int from, int to, String size) {
        return Sh.tryInNs(hosts.hostNs(from), "ping", "-n", "-c", "3", "-i", "0.2", "-W", "5", "-s", size,
                "10.77.0." + to);
    }

    private static String client(Hosts hosts, Path script, String... args) {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "python3";
        cmd[1] = script.toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        Sh.Result r = Sh.tryInNs(hosts.hostNs(1), cmd);
        assertThat(r.exit()).as("%s: %s", String.join(" ", args), r.output()).isZero();
        return r.output().trim();
    }
}
