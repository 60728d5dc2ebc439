package dev.jvswitch.pmd.port;

import dev.jvswitch.mempool.Mbuf;

/**
 * When a replaying {@link PcapPort}'s frames arrive: a benchmark's hook that paces the replay
 * (how many frames are due at each poll) and sees each frame as it is received (to stamp it).
 * Without one, a pcap port delivers a full batch at every poll, as fast as its PMD polls.
 *
 * <p><b>Thread-safety:</b> called by the PMD polling the port's rx queue, and only by it; set
 * with {@link PcapPort#timing} before any PMD polls the port.
 */
public interface ReplayTiming {
    /**
     * How many of the next {@code want} frames have arrived by now: 0 to {@code want}. Called once
     * per poll, before the queue takes any mbuf.
     */
    int due(int want);

    /**
     * The poll took {@code taken} frames from the capture (those {@link #due} allowed, or fewer
     * when mbufs ran out); {@code frames[0..delivered)} hold the ones delivered, in file order.
     * Frames dropped on receive (oversize, no mbuf) are the difference.
     */
    void onReceived(Mbuf[] frames, int delivered, int taken);
}
