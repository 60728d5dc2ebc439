package dev.jvswitch.pmd.show;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.key.FlowPrinter;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.flow.Ukey;
import dev.jvswitch.pmd.rx.RxqPoller;
import dev.jvswitch.pmd.stats.DropReason;
import dev.jvswitch.pmd.stats.PmdCounter;

/**
 * Text of the datapath's show commands, in the layout of their OVS namesakes so that OVS
 * documentation and habits apply: {@code dpctl/dump-flows}, {@code dpif-netdev/pmd-stats-show},
 * {@code dpif-netdev/pmd-rxq-show}. Times are measured in nanoseconds here, not TSC cycles, and
 * the labels say so.
 *
 * <p><b>Thread-safety:</b> stateless; reads the datapath's concurrent structures and counters.
 */
public final class DpctlFormat {
    private DpctlFormat() {
    }

    /**
     * {@code dpctl/dump-flows [-m]}: one line per megaflow, e.g.
     * {@code recirc_id(0),in_port(1),eth_type(0x0800),... packets:3, bytes:180, used:0.012s,
     * actions:2}; with {@code verbose}, prefixed by its ufid and followed by the owning PMD.
     */
    public static String dumpFlows(Datapath dp, boolean verbose) {
        List<Ukey> ukeys = dp.flows().dump();
        ukeys.sort(Comparator.comparingInt(Ukey::pmdId).thenComparingLong(Ukey::createdMs));
        long nowMs = dp.nowMs();
        StringBuilder sb = new StringBuilder();
        FlowKey key = new FlowKey();
        FlowMask mask = new FlowMask();
        for (Ukey u : ukeys) {
            Megaflow f = u.flow();
            if (f.isDead()) {
                continue;
            }
            f.copyMaskedKeyTo(key);
            f.copyMaskTo(mask);
            if (verbose) {
                sb.append(f.ufidString()).append(", ");
            }
            FlowPrinter.append(sb, key, mask);
            sb.append(", packets:").append(f.packets())
                    .append(", bytes:").append(f.bytes())
                    .append(", used:").append(used(nowMs, f.usedMs()));
            int flags = f.tcpFlags();
            if (flags != 0) {
                sb.append(", flags:").append(tcpFlags(flags));
            }
            sb.append(", actions:").append(f.actions());
            if (verbose) {
                sb.append(", dp-extra-info:pmd=").append(u.pmdId());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String used(long nowMs, long usedMs) {
        if (usedMs == 0) {
            return "never";
        }
        return String.format(Locale.ROOT, "%.3fs", Math.max(0, nowMs - usedMs) / 1000.0);
    }

    /** OVS's compact TCP flag string: one letter per flag seen, e.g. {@code SFP.}. */
    static String tcpFlags(int flags) {
        StringBuilder sb = new StringBuilder();
        // OVS's order: SYN FIN PSH RST URG ACK ECE CWR NS.
        int[] bits = {0x002, 0x001, 0x008, 0x004, 0x020, 0x010, 0x040, 0x080, 0x100};
        char[] names = {'S', 'F', 'P', 'R', 'U', '.', 'E', 'C', 'N'};
        for (int i = 0; i < bits.length; i++) {
            if ((flags & bits[i]) != 0) {
                sb.append(names[i]);
            }
        }
        return sb.toString();
    }

    /** {@code dpif-netdev/pmd-stats-show}. */
    public static String pmdStatsShow(Datapath dp) {
        StringBuilder sb = new StringBuilder();
        long[] v = new long[PmdCounter.count()];
        long[] drops = new long[DropReason.count()];
        for (PmdAgent pmd : dp.pmds()) {
            pmd.stats().snapshot(v);
            long rx = v[PmdCounter.RX_PACKETS.id()];
            long recirc = v[PmdCounter.RECIRCULATIONS.id()];
            long passes = rx + recirc;
            long megaHits = v[PmdCounter.MEGAFLOW_HITS.id()];
            long idle = v[PmdCounter.IDLE_NS.id()];
            long busy = v[PmdCounter.BUSY_NS.id()];
            long total = idle + busy;
            long txPackets = v[PmdCounter.TX_PACKETS.id()] + v[PmdCounter.TX_DROPPED.id()];
            long txBatches = v[PmdCounter.TX_BATCHES.id()];
            sb.append("pmd thread numa_id 0 core_id ").append(pmd.cpu() < 0 ? "(unpinned)" : pmd.cpu())
                    .append(" pmd ").append(pmd.pmdId()).append(":\n");
            line(sb, "packets received", rx);
            line(sb, "packet recirculations", recirc);
            ratio(sb, "avg. datapath passes per packet", passes, rx);
            line(sb, "emc hits", v[PmdCounter.EMC_HITS.id()]);
            line(sb, "smc hits", v[PmdCounter.SMC_HITS.id()]);
            line(sb, "megaflow hits", megaHits);
            ratio(sb, "avg. subtable lookups per megaflow hit", v[PmdCounter.SUBTABLE_LOOKUPS.id()], megaHits);
            line(sb, "miss with success upcall", v[PmdCounter.UPCALL_OK.id()]);
            line(sb, "miss with failed upcall", v[PmdCounter.UPCALL_FAILED.id()]);
            line(sb, "upcalls not installed (flow limit)", v[PmdCounter.FLOW_LIMIT_SKIPS.id()]);
            ratio(sb, "avg. packets per output batch", txPackets, txBatches);
            sb.append(String.format(Locale.ROOT, "  idle time: %d ns (%.2f%%)%n", idle, pct(idle, total)));
            sb.append(String.format(Locale.ROOT, "  processing time: %d ns (%.2f%%)%n", busy, pct(busy, total)));
            ratio(sb, "avg. processing ns per packet", busy, passes);
            if (v[PmdCounter.IDLE_SLEEPS.id()] != 0) {
                line(sb, "idle sleeps", v[PmdCounter.IDLE_SLEEPS.id()]);
            }
            line(sb, "packets sent", v[PmdCounter.TX_PACKETS.id()]);
            line(sb, "packets dropped by tx", v[PmdCounter.TX_DROPPED.id()]);
            pmd.stats().snapshotDrops(drops);
            for (DropReason r : DropReason.values()) {
                if (drops[r.id()] != 0) {
                    line(sb, r.label(), drops[r.id()]);
                }
            }
        }
        return sb.toString();
    }

    /** {@code dpif-netdev/pmd-rxq-show}: which PMD polls which queue, and its share of busy time. */
    public static String pmdRxqShow(Datapath dp) {
        StringBuilder sb = new StringBuilder();
        for (PmdAgent pmd : dp.pmds()) {
            RxqPoller[] rxqs = pmd.rxqs();
            long total = 0;
            for (RxqPoller r : rxqs) {
                total += r.busyNs();
            }
            sb.append("pmd thread numa_id 0 core_id ").append(pmd.cpu() < 0 ? "(unpinned)" : pmd.cpu())
                    .append(" pmd ").append(pmd.pmdId()).append(":\n");
            sb.append("  isolated : false\n");
            for (RxqPoller r : rxqs) {
                sb.append(String.format(Locale.ROOT, "  port: %-16s queue-id: %2d (enabled)   pmd usage: %3.0f %%",
                        r.netdev().name(), r.rxq().id(), pct(r.busyNs(), total)));
                // What a port says of its state (an AF_XDP port: the XDP mode it got), after OVS's layout.
                for (Map.Entry<String, String> e : r.netdev().status().entrySet()) {
                    sb.append("  ").append(e.getKey()).append(": ").append(e.getValue());
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, long value) {
        sb.append("  ").append(label).append(": ").append(value).append('\n');
    }

    private static void ratio(StringBuilder sb, String label, long num, long den) {
        sb.append(String.format(Locale.ROOT, "  %s: %.2f%n", label, den == 0 ? 0.0 : (double) num / den));
    }

    private static double pct(long part, long total) {
        return total == 0 ? 0.0 : 100.0 * part / total;
    }
}
