package dev.jvswitch.bench.latency;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

import dev.jvswitch.bench.dut.Shell;

/**
 * Round-trip probes: {@code ping} from one host to the other through the switch, pinned to one
 * CPU, every RTT recorded in an HdrHistogram in µs. ping takes its receive time from the kernel's
 * socket timestamp, so the figure is the network's round trip (both crossings of the switch and
 * the far host's reply) plus the sender's stack, not the scheduling of this JVM.
 *
 * <p>iputils prints RTTs below 1 ms with µs resolution and up to 10 ms with 10 µs resolution,
 * which is what the histogram holds. Duplicate replies are ignored; a probe without a reply is
 * lost.
 */
final class PingProbe {
    private static final Pattern REPLY = Pattern.compile("icmp_seq=(\\d+) .*time=([0-9.]+) ms");
    private static final Pattern SENT = Pattern.compile("(\\d+) packets transmitted");

    /** What one run of probes measured. */
    record Result(int sent, int replies, Histogram rttUs) {
        int lost() {
            return sent - replies;
        }
    }

    private PingProbe() {
    }

    /**
     * Sends {@code count} probes every {@code intervalS} seconds from namespace {@code ns} to
     * {@code target}, ping pinned to {@code cpu} (or unpinned for -1).
     */
    static Result run(String ns, String target, int count, double intervalS, int cpu)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (cpu >= 0) {
            cmd.addAll(List.of("taskset", "-c", Integer.toString(cpu)));
        }
        cmd.addAll(List.of("ping", "-n", "-c", Integer.toString(count), "-i",
                String.format(Locale.ROOT, "%.4f", intervalS), "-W", "1", target));
        long timeoutS = (long) (count * intervalS) + 30;
        String out;
        try {
            out = Shell.run(timeoutS, Shell.inNsCommand(ns, cmd));
        } catch (IOException e) {
            // ping exits 1 when some probes went unanswered; its output still holds the rest.
            String msg = e.getMessage();
            int at = msg == null ? -1 : msg.indexOf("(exit 1): ");
            if (at < 0) {
                throw e;
            }
            out = msg.substring(at + "(exit 1): ".length());
        }
        return parse(out, count);
    }

    static Result parse(String out, int count) {
        Histogram h = new Histogram(100_000_000L, 3);
        BitSet seen = new BitSet();
        Matcher m = REPLY.matcher(out);
        int replies = 0;
        while (m.find()) {
            int seq = Integer.parseInt(m.group(1));
            if (seen.get(seq)) {
                continue;
            }
            seen.set(seq);
            long us = Math.round(Double.parseDouble(m.group(2)) * 1000.0);
            h.recordValue(Math.max(1, us));
            replies++;
        }
        Matcher s = SENT.matcher(out);
        int sent = s.find() ? Integer.parseInt(s.group(1)) : count;
        return new Result(sent, replies, h);
    }
}
