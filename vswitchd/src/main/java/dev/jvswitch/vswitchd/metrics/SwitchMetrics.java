package dev.jvswitch.vswitchd.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.ofproto.revalidate.RevalidatorSnapshot;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.stats.DropReason;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.vswitchd.run.Switch;

/**
 * What the metrics endpoint exports, read on the scraping thread: every PMD counter and drop
 * reason (raw, since start: {@code pmd-stats-clear} does not reset a Prometheus counter), every
 * port's rx/tx/drop/error counters and link, the megaflow count and limit, the revalidators'
 * dump duration and deletions, the upcalls the slow path handled, the mempool's free mbufs, and
 * whatever else the daemon adds ({@link #add}: the mirrors).
 *
 * <p><b>Thread-safety:</b> runs on the metrics thread. PMD counters are Agrona counters read with
 * acquire loads (the PMD writes them with release stores and never waits); port counters are read
 * as {@code ofctl/dump-ports} reads them; the running config through its acquire load; the
 * revalidator snapshot is built from atomics. The sources {@link #add} adds sit in a copy-on-write
 * list (the main thread adds, the metrics thread reads).
 */
public final class SwitchMetrics {
    private final Switch sw;
    private final List<Consumer<PromWriter>> extra = new java.util.concurrent.CopyOnWriteArrayList<>();

    public SwitchMetrics(Switch sw) {
        this.sw = sw;
    }

    /** More families, written after the switch's own. */
    public SwitchMetrics add(Consumer<PromWriter> source) {
        extra.add(source);
        return this;
    }

    /** The Prometheus name of a PMD counter. */
    static String pmdName(PmdCounter c) {
        return switch (c) {
            case IDLE_NS -> "jvswitch_pmd_idle_seconds_total";
            case BUSY_NS -> "jvswitch_pmd_busy_seconds_total";
            default -> "jvswitch_pmd_" + c.counterName() + "_total";
        };
    }

    /** The whole exposition text. */
    public String scrape() {
        PromWriter w = new PromWriter();
        pmds(w, sw.datapath());
        ports(w);
        revalidators(w, sw.ofproto().upcalls());
        w.family("jvswitch_upcalls_handled_total", "counter", "upcalls the slow path translated")
                .sample(sw.ofproto().coverage().getOrDefault("upcall_handled", 0L));
        w.family("jvswitch_mempool_mbufs_free", "gauge", "mbufs free in the pool (outside the per-thread caches)")
                .sample(sw.pool().available());
        w.family("jvswitch_mempool_mbufs", "gauge", "mbufs in the pool").sample(sw.pool().capacity());
        for (Consumer<PromWriter> c : extra) {
            c.accept(w);
        }
        return w.toString();
    }

    private static void pmds(PromWriter w, Datapath dp) {
        PmdAgent[] pmds = dp.pmds();
        for (PmdCounter c : PmdCounter.values()) {
            boolean ns = c == PmdCounter.IDLE_NS || c == PmdCounter.BUSY_NS;
            w.family(pmdName(c), "counter", "per PMD: " + c.label());
            for (PmdAgent p : pmds) {
                long v = p.stats().raw(c);
                w.sample(ns ? v / 1e9 : v, "pmd", Integer.toString(p.pmdId()), "core", Integer.toString(p.cpu()));
            }
        }
        w.family("jvswitch_pmd_dropped_total", "counter", "per PMD and reason: packets dropped or freed");
        for (PmdAgent p : pmds) {
            for (DropReason r : DropReason.values()) {
                w.sample(p.stats().raw(r), "pmd", Integer.toString(p.pmdId()), "core", Integer.toString(p.cpu()),
                        "reason", r.reasonName());
            }
        }
    }

    /** The families of the port counters, in this order. */
    private static final String[][] PORT_FAMILIES = {
        {"jvswitch_port_rx_packets_total", "packets received"},
        {"jvswitch_port_rx_bytes_total", "bytes received"},
        {"jvswitch_port_rx_dropped_total", "frames seen but not delivered (no mbuf, truncated, oversize, ring full)"},
        {"jvswitch_port_rx_errors_total", "malformed frames received"},
        {"jvswitch_port_tx_packets_total", "packets sent"},
        {"jvswitch_port_tx_bytes_total", "bytes sent"},
        {"jvswitch_port_tx_dropped_total", "packets not sent (queue full, link down)"},
        {"jvswitch_port_tx_errors_total", "transmit errors"},
    };

    private void ports(PromWriter w) {
        record Row(String bridge, PortSpec port, Netdev netdev, NetdevStats stats) {
        }
        List<Row> rows = new ArrayList<>();
        for (BridgeSpec b : sw.config().bridges().values()) {
            for (PortSpec p : b.ports().values()) {
                int no = sw.dpPort(p.name());
                Netdev n = no < 0 ? null : sw.datapath().port(no);
                if (n != null) {
                    NetdevStats s = new NetdevStats();
                    n.readStats(s);
                    rows.add(new Row(b.name(), p, n, s));
                }
            }
        }
        for (int f = 0; f < PORT_FAMILIES.length; f++) {
            w.family(PORT_FAMILIES[f][0], "counter", "per port: " + PORT_FAMILIES[f][1]);
            for (Row r : rows) {
                NetdevStats s = r.stats();
                long v = switch (f) {
                    case 0 -> s.rxPackets;
                    case 1 -> s.rxBytes;
                    case 2 -> s.rxDropped;
                    case 3 -> s.rxErrors;
                    case 4 -> s.txPackets;
                    case 5 -> s.txBytes;
                    case 6 -> s.txDropped;
                    default -> s.txErrors;
                };
                w.sample(v, "bridge", r.bridge(), "port", r.port().name(), "type", r.port().type());
            }
        }
        w.family("jvswitch_port_link_up", "gauge", "per port: 1 while the link is up");
        for (Row r : rows) {
            w.sample(r.netdev().linkUp() ? 1 : 0, "bridge", r.bridge(), "port", r.port().name(), "type",
                    r.port().type());
        }
    }

    private static void revalidators(PromWriter w, RevalidatorSnapshot s) {
        w.family("jvswitch_megaflows", "gauge", "megaflows in the datapath").sample(s.flows());
        w.family("jvswitch_megaflows_limit", "gauge", "the flow limit now (lowered while dumps are slow)")
                .sample(s.flowLimit());
        w.family("jvswitch_revalidator_dump_duration_seconds", "gauge", "duration of the last revalidator dump")
                .sample(s.dumpDurationMs() / 1e3);
        w.family("jvswitch_revalidator_dumps_total", "counter", "revalidator dumps").sample(s.dumps());
        w.family("jvswitch_revalidator_flows_deleted_total", "counter", "megaflows the revalidators deleted, by reason")
                .sample(s.deletedIdle(), "reason", "idle")
                .sample(s.deletedLimit(), "reason", "limit")
                .sample(s.deletedRevalidation(), "reason", "revalidation");
        w.family("jvswitch_revalidator_flows_modified_total", "counter", "megaflows whose actions were fixed")
                .sample(s.modified());
    }
}
