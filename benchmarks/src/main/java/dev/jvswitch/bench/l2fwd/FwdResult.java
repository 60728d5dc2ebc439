package dev.jvswitch.bench.l2fwd;

import java.util.Locale;

import dev.jvswitch.bench.cli.Json;

/**
 * What one {@link Forwarder#run} did, in the same shape for both modes: {@code l2fwd} prints it
 * as a line of text or as one JSON object, and the forwarding benchmark reads it.
 *
 * @param mode      io or switch
 * @param rxPackets packets received on both ports
 * @param txPackets packets handed to the other port's device
 * @param dropped   received but not sent: tx ring full, link down, oversize, and in switch mode
 *                  every drop the PMD counts (no rule, failed upcall, ...); with one output per
 *                  packet, {@code txPackets == rxPackets - dropped}
 * @param busyNs    time spent in iterations that received packets (the PMD's {@code BUSY_NS})
 * @param elapsedNs wall time of the run
 */
public record FwdResult(FwdMode mode, long rxPackets, long txPackets, long dropped, long busyNs, long elapsedNs) {
    /** Busy time divided by packets received; 0 when nothing was received. */
    public double busyNsPerPacket() {
        return rxPackets == 0 ? 0.0 : (double) busyNs / rxPackets;
    }

    /** Packets sent per second, in millions. */
    public double forwardedMpps() {
        return elapsedNs == 0 ? 0.0 : txPackets * 1e3 / elapsedNs;
    }

    /** {@code {"rxPackets":N,"txPackets":N,"dropped":N,"busyNsPerPacket":X}} (the l2fwd contract). */
    public String toJson() {
        return new Json().put("rxPackets", rxPackets).put("txPackets", txPackets).put("dropped", dropped)
                .put("busyNsPerPacket", busyNsPerPacket(), 1).toString();
    }

    /** One line, e.g. {@code mode io: rx 10 packets, tx 10 packets, dropped 0, busy 950.0 ns/packet (...)}. */
    public String toText() {
        return String.format(Locale.ROOT, "mode %s: rx %d packets, tx %d packets, dropped %d, busy %.1f ns/packet"
                + " (%.1f s, %.3f Mpps forwarded)", mode.label(), rxPackets, txPackets, dropped, busyNsPerPacket(),
                elapsedNs / 1e9, forwardedMpps());
    }
}
