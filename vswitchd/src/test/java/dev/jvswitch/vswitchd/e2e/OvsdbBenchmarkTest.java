package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * Figures for jvswitchd under ovsdb-server (dummy interfaces, so that only the control plane is
 * measured): the time ovs-vsctl add-port takes to return once jvswitchd wrote {@code cur_cfg},
 * against the same command with {@code --no-wait} (the difference is jvswitchd's share: the
 * update, the mapping, the reload and the write-back); {@value #PORTS} ports added in one
 * transaction, with the daemon's CPU time for it; the time jvswitchd takes to rebuild those
 * ports after a restart; and the time from an ovsdb-server restart until a change made then is
 * applied (the reconnect backoff and a full resync). Printed as {@code ovsdb-bench: ...} lines
 * with the load average; the assertions only check that the work was done.
 */
class OvsdbBenchmarkTest {
    static final int PORTS = Integer.getInteger("jvs.ovsdbbench.ports", 100);
    static final int SAMPLES = 15;

    @TempDir
    Path dir;

    private static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    /** user + system CPU ms of process {@code pid} (clock ticks of 10 ms). */
    private static long cpuMs(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    private static double ms(long ns) {
        return ns / 1e6;
    }

    private static String summary(List<Long> ns) {
        long[] s = ns.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format("median %.1f ms, p90 %.1f ms, max %.1f ms", ms(s[s.length / 2]),
                ms(s[(int) Math.min(s.length - 1, Math.round(s.length * 0.9))]), ms(s[s.length - 1]));
    }

    @Test
    void printsControlPlaneFigures() throws Exception {
        Needs.that(Sh.isRoot() && OvsdbServer.available(), "root and Open vSwitch's ovsdb-server and ovs-vsctl");
        try (OvsdbServer db = OvsdbServer.start(dir)) {
            DaemonProcess d = OvsdbDaemonTest.daemon(dir, null, db);
            try {
                db.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
                List<Long> waited = new ArrayList<>();
                List<Long> noWait = new ArrayList<>();
                for (int i = 0; i < SAMPLES; i++) {
                    long t0 = System.nanoTime();
                    db.vsctl("add-port", "br0", "w" + i, "--", "set", "interface", "w" + i, "type=dummy");
                    long t1 = System.nanoTime();
                    db.vsctl("--no-wait", "add-port", "br0", "n" + i, "--", "set", "interface", "n" + i, "type=dummy");
                    long t2 = System.nanoTime();
                    waited.add(t1 - t0);
                    noWait.add(t2 - t1);
                }
                System.out.printf("ovsdb-bench: ovs-vsctl add-port until cur_cfg: %s; with --no-wait: %s (load %s)%n",
                        summary(waited), summary(noWait), load());

                List<String> bulk = new ArrayList<>();
                for (int i = 0; i < PORTS; i++) {
                    bulk.addAll(Arrays.asList("--", "add-port", "br0", "b" + i, "--", "set", "interface", "b" + i,
                            "type=dummy"));
                }
                long cpu0 = cpuMs(d.pid());
                long t0 = System.nanoTime();
                db.vsctl(bulk.toArray(new String[0]));
                long t1 = System.nanoTime();
                long cpu1 = cpuMs(d.pid());
                assertThat(db.get("Interface", "b" + (PORTS - 1), "ofport")).matches("[1-9][0-9]*");
                System.out.printf("ovsdb-bench: %d ports in one transaction until cur_cfg: %.0f ms, daemon CPU %d ms"
                        + " (%.2f ms/port) (load %s)%n", PORTS, ms(t1 - t0), cpu1 - cpu0, (cpu1 - cpu0) / (double) PORTS,
                        load());
                assertThat(d.terminate(Duration.ofSeconds(20))).isZero();

                int total = PORTS + 2 * SAMPLES;
                long s0 = System.nanoTime();
                d = OvsdbDaemonTest.daemon(dir, null, db);
                long started = System.nanoTime();
                // A change made now is applied after the ports the database holds.
                db.vsctl("set", "Open_vSwitch", ".", "other_config:x-probe=1");
                long rebuilt = System.nanoTime();
                assertThat(db.get("Open_vSwitch", ".", "cur_cfg")).isEqualTo(db.get("Open_vSwitch", ".", "next_cfg"));
                assertThat(db.get("Interface", "b" + (PORTS - 1), "ofport")).matches("[1-9][0-9]*");
                System.out.printf("ovsdb-bench: jvswitchd restart with %d ports: running after %.0f ms, first change"
                        + " applied %.0f ms later (load %s)%n", total, ms(started - s0), ms(rebuilt - started), load());

                db.stopServer();
                long r0 = System.nanoTime();
                db.startServer();
                db.vsctl("set", "Open_vSwitch", ".", "other_config:x-probe=2");
                long r1 = System.nanoTime();
                DaemonProcess running = d;
                Await.until(Duration.ofSeconds(5), () -> running.log().contains("connection lost"),
                        () -> "the reconnect in the log");
                System.out.printf("ovsdb-bench: ovsdb-server restart with %d ports: a change made once it is back is"
                        + " applied %.0f ms after its start (reconnect backoff 1 s + resync) (load %s)%n", total,
                        ms(r1 - r0), load());
                assertThat(d.terminate(Duration.ofSeconds(20))).isZero();
            } finally {
                d.close();
            }
        }
    }
}
