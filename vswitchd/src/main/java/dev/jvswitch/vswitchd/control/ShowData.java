package dev.jvswitch.vswitchd.control;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.key.FlowPrinter;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.flow.Ukey;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.rx.RxqPoller;
import dev.jvswitch.vswitchd.run.Switch;

/**
 * The JSON side of the show commands ({@code jvsctl --json}), and the text of those that have no
 * datapath formatter of their own ({@code ofctl/dump-ports}, {@code coverage/show}). Key names
 * are stable: scripts may rely on them.
 *
 * <p>Stateless; reads concurrent structures and counters, as the text formatters do.
 */
final class ShowData {
    private ShowData() {
    }

    /** {@code dpctl/dump-flows}: one object per live megaflow. */
    static List<Object> flows(Datapath dp) {
        List<Ukey> ukeys = dp.flows().dump();
        ukeys.sort(Comparator.comparingInt(Ukey::pmdId).thenComparingLong(Ukey::createdMs));
        long now = dp.nowMs();
        FlowKey key = new FlowKey();
        FlowMask mask = new FlowMask();
        List<Object> out = new ArrayList<>();
        for (Ukey u : ukeys) {
            Megaflow f = u.flow();
            if (f.isDead()) {
                continue;
            }
            f.copyMaskedKeyTo(key);
            f.copyMaskTo(mask);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ufid", f.ufidString());
            m.put("pmd", u.pmdId());
            m.put("match", FlowPrinter.format(key, mask));
            m.put("packets", f.packets());
            m.put("bytes", f.bytes());
            m.put("usedMsAgo", f.usedMs() == 0 ? null : Math.max(0, now - f.usedMs()));
            m.put("actions", f.actions().toString());
            out.add(m);
        }
        return out;
    }

    /** {@code dpif-netdev/pmd-stats-show}: every counter of every PMD, since the last clear. */
    static List<Object> pmdStats(Datapath dp) {
        List<Object> out = new ArrayList<>();
        for (PmdAgent pmd : dp.pmds()) {
            Map<String, Object> counters = new LinkedHashMap<>();
            pmd.stats().forEach(true, counters::put);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pmd", pmd.pmdId());
            m.put("core", pmd.cpu());
            m.put("counters", counters);
            out.add(m);
        }
        return out;
    }

    /** {@code dpif-netdev/pmd-rxq-show}: which PMD polls which queue, with its busy time. */
    static List<Object> rxqs(Datapath dp) {
        List<Object> out = new ArrayList<>();
        for (PmdAgent pmd : dp.pmds()) {
            List<Object> queues = new ArrayList<>();
            for (RxqPoller r : pmd.rxqs()) {
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("port", r.netdev().name());
                q.put("queue", r.rxq().id());
                q.put("busyNs", r.busyNs());
                if (!r.netdev().status().isEmpty()) {
                    q.put("status", new LinkedHashMap<>(r.netdev().status()));
                }
                queues.add(q);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pmd", pmd.pmdId());
            m.put("core", pmd.cpu());
            m.put("rxqs", queues);
            out.add(m);
        }
        return out;
    }

    /** {@code ofctl/dump-ports [BRIDGE]}: text in ovs-ofctl's layout, and the same as data. */
    static Reply ports(Switch sw, String bridge) {
        StringBuilder sb = new StringBuilder();
        List<Object> data = new ArrayList<>();
        for (BridgeSpec b : sw.config().bridges().values()) {
            if (bridge != null && !bridge.equals(b.name())) {
                continue;
            }
            sb.append("OFPST_PORT reply (").append(b.name()).append("): ").append(b.ports().size())
                    .append(" ports\n");
            for (PortSpec p : b.ports().values()) {
                Netdev n = sw.datapath().port(sw.dpPort(p.name()));
                if (n == null) {
                    continue;
                }
                NetdevStats s = new NetdevStats();
                n.readStats(s);
                sb.append(String.format(Locale.ROOT, "  port %2d (%s): rx pkts=%d, bytes=%d, drop=%d, errs=%d%n",
                        p.ofport(), p.name(), s.rxPackets, s.rxBytes, s.rxDropped, s.rxErrors));
                sb.append(String.format(Locale.ROOT, "           tx pkts=%d, bytes=%d, drop=%d, errs=%d%n",
                        s.txPackets, s.txBytes, s.txDropped, s.txErrors));
                sb.append(String.format(Locale.ROOT, "           link %s, rx drops: no_mbuf=%d truncated=%d oversize=%d,"
                        + " tx drops: queue_full=%d link_down=%d%n", n.linkUp() ? "up" : "down", s.rxNoMbuf,
                        s.rxTruncated, s.rxOversize, s.txQueueFull, s.txLinkDown));
                Map<String, String> status = n.status();
                if (!status.isEmpty()) {
                    StringBuilder st = new StringBuilder();
                    status.forEach((k, v) -> st.append(st.length() == 0 ? "" : ", ").append(k).append('=').append(v));
                    sb.append("           status: ").append(st).append('\n');
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("bridge", b.name());
                m.put("port", p.name());
                m.put("ofport", p.ofport());
                m.put("dpPort", sw.dpPort(p.name()));
                m.put("type", p.type());
                m.put("linkUp", n.linkUp());
                m.put("rxPackets", s.rxPackets);
                m.put("rxBytes", s.rxBytes);
                m.put("rxDropped", s.rxDropped);
                m.put("rxErrors", s.rxErrors);
                m.put("rxNoMbuf", s.rxNoMbuf);
                m.put("rxTruncated", s.rxTruncated);
                m.put("rxOversize", s.rxOversize);
                m.put("txPackets", s.txPackets);
                m.put("txBytes", s.txBytes);
                m.put("txDropped", s.txDropped);
                m.put("txErrors", s.txErrors);
                m.put("txQueueFull", s.txQueueFull);
                m.put("txLinkDown", s.txLinkDown);
                m.put("linkDownEvents", s.linkDownEvents);
                if (!status.isEmpty()) {
                    m.put("status", new LinkedHashMap<>(status));
                }
                data.add(m);
            }
        }
        return Reply.of(sb.toString(), data);
    }

    /** {@code coverage/show}: every counter, non-zero ones as lines. */
    static Reply coverage(Map<String, Long> counters) {
        StringBuilder sb = new StringBuilder("Event coverage (totals since jvswitchd started):\n");
        int zero = 0;
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            if (e.getValue() == 0) {
                zero++;
            } else {
                sb.append(String.format(Locale.ROOT, "%-36s total: %d%n", e.getKey(), e.getValue()));
            }
        }
        sb.append(zero).append(" events never hit\n");
        return Reply.of(sb.toString(), counters);
    }

    /** The PMD counters summed over every PMD, raw (not reset by pmd-stats-clear). */
    static Map<String, Long> pmdTotals(Datapath dp) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (PmdAgent pmd : dp.pmds()) {
            pmd.stats().forEach(false, (name, value) -> out.merge("pmd_" + name, value, Long::sum));
        }
        return out;
    }
}
