package dev.jvswitch.vswitchd.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * What a host's eth0 sent and got (ARP and ICMP, tcpdump with epoch timestamps) during one
 * first-ping round, so that the time to a first answered ping splits into when the host began
 * (its first ARP request: the ping's start, after {@code ovn-nbctl} returned and the process
 * started) and how long the network took from there (the data path's share), with the ARP
 * requests and echo requests it had to send: a request sent again is a packet lost on the way.
 */
final class VifCapture implements AutoCloseable {
    private final Path file;
    private final Process tcpdump;

    private VifCapture(Path file, Process tcpdump) {
        this.file = file;
        this.tcpdump = tcpdump;
    }

    /** Starts tcpdump on {@code ns}'s eth0 and waits until it listens. */
    static VifCapture start(String ns, Path file) throws IOException {
        return start(ns, "eth0", "arp or icmp", file);
    }

    /** Starts tcpdump on {@code ns}'s {@code device} with {@code filter} and waits until it listens. */
    static VifCapture start(String ns, String device, String filter, Path file) throws IOException {
        Process p = new ProcessBuilder(Sh.nsCommand(ns, "tcpdump", "-i", device, "--immediate-mode", "-n", "-tt", "-l",
                filter)).redirectErrorStream(true).redirectOutput(file.toFile()).start();
        VifCapture c = new VifCapture(file, p);
        try {
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(10),
                    () -> OvnTwoChassis.read(file).contains("listening on"), () -> "tcpdump in " + ns + " to listen");
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * Stops the capture and sums it up against {@code wallMs} (the round's start, epoch ms): the
     * first ARP request for {@code ip} and its answer, the first echo request and the first reply,
     * and how many of each request went out before the reply.
     */
    String summary(String ip, long wallMs) {
        // The ping saw its reply: tcpdump too, once it has written it.
        Await.until(Duration.ofSeconds(2), Duration.ofMillis(10),
                () -> OvnTwoChassis.read(file).contains(ip + " > "), () -> "tcpdump to print the echo reply");
        close();
        double firstArp = -1;
        double arpAnswer = -1;
        double firstEcho = -1;
        double reply = -1;
        int arps = 0;
        int echoes = 0;
        for (String l : OvnTwoChassis.read(file).split("\n")) {
            int sp = l.indexOf(' ');
            if (sp < 0 || !Character.isDigit(l.charAt(0)) || reply >= 0) {
                continue;
            }
            double ms = Double.parseDouble(l.substring(0, sp)) * 1000 - wallMs;
            if (l.contains("Request who-has " + ip + " ")) {
                arps++;
                firstArp = firstArp < 0 ? ms : firstArp;
            } else if (l.contains("Reply " + ip + " is-at") && arpAnswer < 0) {
                arpAnswer = ms;
            } else if (l.contains("> " + ip + ": ICMP echo request")) {
                echoes++;
                firstEcho = firstEcho < 0 ? ms : firstEcho;
            } else if (l.contains(ip + " > ") && l.contains("ICMP echo reply")) {
                reply = ms;
            }
        }
        return String.format("pa's eth0: first ARP request %.1f ms (%d sent), answered %.1f; first echo request"
                + " %.1f (%d sent), first reply %.1f: %.1f ms from the first ARP", firstArp, arps, arpAnswer, firstEcho,
                echoes, reply, reply >= 0 && firstArp >= 0 ? reply - firstArp : -1.0);
    }

    /**
     * Stops the capture and returns its first {@code max} packets, each line led by milliseconds
     * since {@code wallMs} (what an underlay carried in a round: the tunnel endpoint's ARP, the
     * encapsulated echo and its reply).
     */
    String lines(long wallMs, int max) {
        close();
        return reread(file, wallMs, max);
    }

    /** The first {@code max} packets of a finished capture in {@code file}, as {@link #lines}. */
    static String reread(Path file, long wallMs, int max) {
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (String l : OvnTwoChassis.read(file).split("\n")) {
            int sp = l.indexOf(' ');
            if (sp < 0 || !l.substring(0, sp).matches("\\d+\\.\\d+") || shown == max) {
                continue;
            }
            double ms = Double.parseDouble(l.substring(0, sp)) * 1000 - wallMs;
            String rest = l.substring(sp + 1);
            out.append(String.format("  %8.1f ms %s%n", ms, rest.length() > 160 ? rest.substring(0, 160) : rest));
            shown++;
        }
        return out.toString();
    }

    @Override
    public void close() {
        tcpdump.destroy();
        try {
            tcpdump.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
