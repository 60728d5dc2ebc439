package dev.jvswitch.bench.afpacket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's wires, made for one run and removed by {@link #close()}:
 *
 * <pre>
 *  netns jvs-ID-gen           root namespace (the JVM)                      netns jvs-ID-sink
 *  [jvsIDg: generator] ==veth== [jvsID1: port 1] -fwd-> [jvsID2: port 2] ==veth== [jvsIDs: sink]
 * </pre>
 *
 * Names carry 6 random hex digits so that concurrent runs and tests never collide. Every end
 * has IPv6 off (no stray router solicitations) and GRO, GSO and TSO off, as the README asks of
 * AF_PACKET ports. The sink is the kernel of the sink namespace, which counts what arrives.
 *
 * <p><b>Thread-safety:</b> {@link #close()} may be called from a shutdown hook as well as the
 * main thread; it is synchronized and idempotent. Other methods are for the main thread.
 */
final class FwdTopology implements AutoCloseable {
    private static final long COMMAND_TIMEOUT_S = 30;

    final String genNs;
    final String sinkNs;
    final String genIf;
    final String port1If;
    final String port2If;
    final String sinkIf;
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> rootLinks = new ArrayList<>();
    private boolean closed;

    private FwdTopology(String id) {
        genNs = "jvs-" + id + "-gen";
        sinkNs = "jvs-" + id + "-sink";
        genIf = "jvs" + id + "g";
        port1If = "jvs" + id + "1";
        port2If = "jvs" + id + "2";
        sinkIf = "jvs" + id + "s";
    }

    /** Makes both namespaces and both veth pairs, all up; removes what it made if a step fails. */
    static FwdTopology create() throws IOException, InterruptedException {
        byte[] id = new byte[3];
        new SecureRandom().nextBytes(id);
        FwdTopology t = new FwdTopology(HexFormat.of().formatHex(id));
        try {
            t.pair(t.genNs, t.port1If, t.genIf);
            t.pair(t.sinkNs, t.port2If, t.sinkIf);
            t.awaitUp(t.port1If);
            t.awaitUp(t.port2If);
            return t;
        } catch (IOException | InterruptedException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    private void pair(String ns, String rootEnd, String nsEnd) throws IOException, InterruptedException {
        sh("ip", "netns", "add", ns);
        namespaces.add(ns);
        sh("ip", "link", "add", rootEnd, "type", "veth", "peer", "name", nsEnd, "netns", ns);
        rootLinks.add(rootEnd);
        configure(null, rootEnd);
        configure(ns, nsEnd);
    }

    private static void configure(String ns, String ifname) throws IOException, InterruptedException {
        sh(inNs(ns, "sysctl", "-qw", "net.ipv6.conf." + ifname + ".disable_ipv6=1"));
        sh(inNs(ns, "ethtool", "-K", ifname, "gro", "off", "gso", "off", "tso", "off"));
        sh(inNs(ns, "ip", "link", "set", ifname, "up"));
    }

    private void awaitUp(String ifname) throws IOException, InterruptedException {
        Path state = Path.of("/sys/class/net", ifname, "operstate");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(state).trim().equals("up")) {
            if (System.nanoTime() > deadline) {
                throw new IOException(ifname + " did not come up within 10 s");
            }
            Thread.sleep(10);
        }
    }

    /** Frames the sink's kernel received on its veth end. */
    long sinkRxPackets() throws IOException, InterruptedException {
        return Long.parseLong(sh(inNs(sinkNs, "cat", "/sys/class/net/" + sinkIf + "/statistics/rx_packets")).trim());
    }

    /** Deletes the namespaces (and the veth ends inside them) and whatever root ends remain. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (String ns : namespaces) {
            trySh("ip", "netns", "del", ns);
        }
        // Deleting a namespace removes its veth ends, and with them their root peers, but the
        // kernel may do that after "ip netns del" returns: a link that vanished meanwhile is fine.
        for (String link : rootLinks) {
            Path sys = Path.of("/sys/class/net", link);
            if (Files.exists(sys)) {
                try {
                    sh("ip", "link", "del", link);
                } catch (IOException e) {
                    if (Files.exists(sys)) {
                        System.err.println("afpacket-fwd: cleanup: " + e.getMessage());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static String[] inNs(String ns, String... cmd) {
        if (ns == null) {
            return cmd;
        }
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(cmd));
        return all.toArray(new String[0]);
    }

    /** Runs {@code cmd}; returns its output; fails with the output on a non-zero exit or after 30 s. */
    private static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out after " + COMMAND_TIMEOUT_S + " s: " + String.join(" ", cmd));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("'" + String.join(" ", cmd) + "' failed (exit " + p.exitValue() + "): " + out.trim());
        }
        return out;
    }

    private static void trySh(String... cmd) {
        try {
            sh(cmd);
        } catch (IOException e) {
            System.err.println("afpacket-fwd: cleanup: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
