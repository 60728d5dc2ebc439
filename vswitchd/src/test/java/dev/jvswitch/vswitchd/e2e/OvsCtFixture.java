package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.netns.Offloads;
import dev.jvswitch.testkit.sh.Sh;

/**
 * The setting of OVS's conntrack system tests ({@code tests/system-traffic.at}) on jvswitch: four
 * namespaces on br0 (OVS's at_ns0..3 on p0..p3 are h1..h4 on ofports 1..4 here, and OVS's
 * 10.1.1.N and fc00::N are 10.77.0.N and fc00::N), an HTTP server in each (OVS's
 * {@code OVS_START_L7(..., http)}: Python's http.server, on IPv4 and IPv6), one daemon for every
 * case, and a case's flow table put in place as {@code ovs-ofctl add-flows} would, with the
 * connection table flushed. Checksum offload is off (a bad L4 checksum is {@code inv}).
 *
 * <p><b>Thread-safety:</b> the test's thread only.
 */
final class OvsCtFixture implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(60);

    final SwitchedHosts net;
    final Hosts hosts;
    final DaemonProcess d;
    private final List<Process> servers = new ArrayList<>();

    OvsCtFixture(Path dir) throws Exception {
        net = SwitchedHosts.create(dir);
        boolean ok = false;
        try {
            hosts = net.hosts;
            for (int n = 1; n <= 4; n++) {
                hosts.host(n);
                String ns = hosts.hostNs(n);
                Offloads.txChecksumOff(ns, "eth0");
                Offloads.txChecksumOff(hosts.sw, "s" + n);
                Sh.inNs(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=0", "net.ipv6.conf.default.disable_ipv6=0",
                        "net.ipv6.conf.eth0.disable_ipv6=0");
                Sh.inNs(ns, "ip", "-6", "addr", "add", "fc00::" + n + "/96", "dev", "eth0", "nodad");
            }
            net.writeConfig(config());
            d = net.startDaemon(START);
            for (int n = 1; n <= 4; n++) {
                Process p = new ProcessBuilder(Sh.nsCommand(hosts.hostNs(n), "timeout", "600", "python3", "-m",
                        "http.server", "80", "--bind", "::", "--directory", dir.toString()))
                        .redirectErrorStream(true).redirectOutput(dir.resolve("http" + n + ".log").toFile()).start();
                servers.add(p);
            }
            ok = true;
        } finally {
            if (!ok) {
                close();
            }
        }
    }

    private static String config() {
        return """
                datapath:
                  pmd-idle: backoff
                  max-idle: 10000
                mempool:
                  mbufs: 4096
                bridges:
                  br0:
                    ports:
                      h1: {type: afpacket, ofport: 1, options: {ifname: s1}}
                      h2: {type: afpacket, ofport: 2, options: {ifname: s2}}
                      h3: {type: afpacket, ofport: 3, options: {ifname: s3}}
                      h4: {type: afpacket, ofport: 4, options: {ifname: s4}}
                    flows:
                      - priority=0,actions=normal
                control:
                  socket: jvswitchd.sock
                """;
    }

    /** Replaces br0's flows by {@code table} (one flow a line, OVS's flows.txt) and flushes conntrack. */
    void flows(String table) {
        d.ok("ofctl/del-flows", "br0");
        for (String line : table.split("\n")) {
            String f = line.strip();
            if (!f.isEmpty()) {
                d.ok("ofctl/add-flow", "br0", f);
            }
        }
        d.ok("dpctl/flush-conntrack");
    }

    /** OVS's {@code OVS_GET_HTTP(url)} from host {@code from}: curl's exit status (0, or 28 on timeout). */
    int http(int from, String url) {
        return Sh.tryInNs(hosts.hostNs(from), "curl", url, "--retry", "3", "--max-time", "1", "--retry-connrefused",
                "-s", "-o", "/dev/null").exit();
    }

    /** {@code ping -q -c N -i 0.3 -W 2 addr} from host {@code from}, with extra arguments before the address. */
    String ping(int from, String addr, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("ping", "-q", "-n", "-c", "3", "-i", "0.3", "-W", "2"));
        cmd.addAll(List.of(extra));
        cmd.add(addr);
        return Sh.tryInNs(hosts.hostNs(from), cmd.toArray(String[]::new)).output();
    }

    /** OVS's {@code dpctl/dump-conntrack | FORMAT_CT(addr)}. */
    String ct(String addr) {
        return OvsCtText.formatCt(d.ok("dpctl/dump-conntrack"), addr);
    }

    /** Waits (bounded) until host {@code from} reaches {@code addr} with a ping (OVS's OVS_WAIT_UNTIL on ping). */
    void awaitPing(int from, String addr) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            if (Sh.tryInNs(hosts.hostNs(from), "ping", "-n", "-c", "1", "-W", "1", addr).exit() == 0) {
                return;
            }
        }
        throw new AssertionError("no ping from h" + from + " to " + addr + " within 20 s");
    }

    /**
     * br0's flows once every {@code patterns} is in them: the datapath's counts reach the rules
     * when a revalidator next pushes them (OVS's tests run {@code revalidator/purge} first), so
     * this waits for that, at most 15 s.
     */
    String flowsWhen(String... patterns) {
        String[] last = {""};
        dev.jvswitch.testkit.sh.Await.until(Duration.ofSeconds(15), () -> {
            last[0] = d.ok("ofctl/dump-flows", "br0");
            for (String pat : patterns) {
                if (!java.util.regex.Pattern.compile(pat).matcher(last[0]).find()) {
                    return false;
                }
            }
            return true;
        }, () -> "flow counts " + java.util.Arrays.toString(patterns) + " in:\n" + last[0]);
        return last[0];
    }

    @Override
    public void close() {
        for (Process p : servers) {
            p.destroy();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        net.close();
        assertThat(servers).allMatch(p -> !p.isAlive());
    }
}
