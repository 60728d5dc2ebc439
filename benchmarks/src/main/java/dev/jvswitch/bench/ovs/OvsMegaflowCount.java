package dev.jvswitch.bench.ovs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import dev.jvswitch.pmd.pcap.PcapReader;
import dev.jvswitch.testkit.ovs.OvsOracle;

/**
 * The megaflows Open vSwitch's datapath holds after every frame of a pcap arrived on port 1 of a
 * bridge with the given rules: what {@code ovs-megaflows} prints and what tests hold jvswitch's
 * megaflow count against. Frames go to the dummy port {@code batch} at a time (fewer than its
 * 100-frame receive queue), the next batch only once the datapath has taken the last; the
 * megaflows are dumped once two dumps agree.
 *
 * @param frames     frames in the file
 * @param received   frames the datapath received (fewer than {@code frames}: the dummy queue dropped some)
 * @param megaflows  the datapath's megaflows, one {@code dpctl/dump-flows} line each
 */
public record OvsMegaflowCount(long frames, long received, List<String> megaflows) {
    public OvsMegaflowCount {
        megaflows = List.copyOf(megaflows);
    }

    /**
     * Feeds every frame of {@code pcap} to port 1 of {@code ovs}'s bridge (whose rules are set)
     * and counts the megaflows its datapath then holds.
     */
    public static OvsMegaflowCount feed(OvsOracle ovs, Path pcap, int batch) throws IOException {
        HexFormat hex = HexFormat.of();
        List<String> pending = new ArrayList<>(batch);
        long frames = 0;
        try (PcapReader in = PcapReader.open(pcap)) {
            byte[] f;
            while ((f = in.nextFrame()) != null) {
                pending.add(hex.formatHex(f));
                frames++;
                if (pending.size() == batch) {
                    feedBatch(ovs, pending, frames);
                }
            }
        }
        if (!pending.isEmpty()) {
            feedBatch(ovs, pending, frames);
        }
        List<String> dump = settledDump(ovs);
        return new OvsMegaflowCount(frames, received(ovs), dump);
    }

    /**
     * Feeds {@code pending} to port 1 and waits (at most 10 s) until the datapath has taken every
     * frame fed so far: the dummy port's queue holds 100 and drops the rest.
     */
    private static void feedBatch(OvsOracle ovs, List<String> pending, long fedSoFar) {
        ovs.receive(1, pending);
        pending.clear();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (received(ovs) < fedSoFar && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000L);
        }
    }

    /** Packets the datapath received (pmd-stats-show, every thread). */
    private static long received(OvsOracle ovs) {
        long n = 0;
        for (String l : ovs.appctl("dpif-netdev/pmd-stats-show").split("\n")) {
            String t = l.trim();
            if (t.startsWith("packets received:")) {
                n += Long.parseLong(t.substring("packets received:".length()).trim());
            }
        }
        return n;
    }

    /** The datapath's megaflows once two dumps 200 ms apart agree (upcalls may still be in flight). */
    private static List<String> settledDump(OvsOracle ovs) {
        List<String> last = ovs.dumpFlows();
        for (int i = 0; i < 100; i++) {
            LockSupport.parkNanos(200_000_000L);
            List<String> now = ovs.dumpFlows();
            if (now.size() == last.size()) {
                return now;
            }
            last = now;
        }
        return last;
    }
}
