package dev.jvswitch.vswitchd.vlog;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.stats.DropReason;
import dev.jvswitch.pmd.stats.PmdCounter;

/**
 * The warnings OVS logs per packet with {@code VLOG_WARN_RL} — malformed frames, receive and
 * transmit drops, failed upcalls, the flow limit, tunnel packets that cannot be sent or popped —
 * made from counters instead: a PMD only counts (as it always did, allocating nothing and never
 * waiting on a file), and once a second the control thread compares each counter with what it
 * saw last and logs one line per counter that grew, under the module OVS would log it in
 * ({@link VlogModule}), through one {@link RateLimiter} per kind of event (OVS's usual
 * {@value #PER_MINUTE} a minute after a burst of {@value #BURST}). A flood of malformed frames or
 * an upcall storm thus costs the log a few lines a minute, each with the count it stands for, and
 * the line after a quiet spell says how many lines were dropped.
 *
 * <p>Not logged: {@code action_drop} and {@code end_of_actions} (a flow that drops is the rules'
 * intent, not an event).
 *
 * <p><b>Thread-safety:</b> control thread only ({@link #onTick}); it reads the PMDs' counters
 * with acquire loads and the ports' counters as {@code ofctl/dump-ports} does.
 */
public final class PacketEventLog {
    static final int PER_MINUTE = 5;
    static final int BURST = 10;
    static final long PERIOD_NS = TimeUnit.SECONDS.toNanos(1);

    /** The kinds of port event, one limiter each. */
    private enum PortEvent { RX_ERRORS, RX_DROPPED, TX_DROPPED }

    private final Datapath dp;
    private final Vlog vlog;
    private final RateLimiter[] dropLimiters = new RateLimiter[DropReason.count()];
    private final RateLimiter[] counterLimiters = new RateLimiter[PmdCounter.count()];
    private final RateLimiter[] portLimiters = new RateLimiter[PortEvent.values().length];
    /** Per PMD index: the drop counters, then the watched PMD counters, as last seen. */
    private long[][] lastPmd;
    private Map<Netdev, NetdevStats> lastPorts = new IdentityHashMap<>();
    private long lastNs;
    private boolean started;

    public PacketEventLog(Datapath dp, Vlog vlog) {
        this.dp = dp;
        this.vlog = vlog;
        for (int i = 0; i < dropLimiters.length; i++) {
            dropLimiters[i] = new RateLimiter(PER_MINUTE, BURST);
        }
        for (int i = 0; i < counterLimiters.length; i++) {
            counterLimiters[i] = new RateLimiter(PER_MINUTE, BURST);
        }
        for (int i = 0; i < portLimiters.length; i++) {
            portLimiters[i] = new RateLimiter(PER_MINUTE, BURST);
        }
    }

    /** The module a drop reason is logged in; null for drops that are no event. */
    static VlogModule module(DropReason r) {
        return switch (r) {
            case ACTION, END_OF_ACTIONS -> null;
            case TUNNEL_NO_ROUTE, TUNNEL_NEIGH_MISS, TUNNEL_FRAGMENT, TUNNEL_NO_PORT, LOCAL_NO_STACK ->
                    VlogModule.OFPROTO_DPIF_XLATE;
            case TUNNEL, TUNNEL_MTU, TUNNEL_MALFORMED, TUNNEL_BAD_CSUM, TUNNEL_BAD_HEADER -> VlogModule.NETDEV_VPORT;
            default -> VlogModule.DPIF_NETDEV;
        };
    }

    /** The module a PMD counter's growth is logged in; null for counters that are no event. */
    static VlogModule module(PmdCounter c) {
        return switch (c) {
            case UPCALL_FAILED, FLOW_LIMIT_SKIPS -> VlogModule.OFPROTO_DPIF_UPCALL;
            case LOST, TX_DROPPED -> VlogModule.DPIF_NETDEV;
            default -> null;
        };
    }

    /** The module a port's events are logged in, by its type. */
    static VlogModule module(String portType) {
        return switch (portType) {
            case "afpacket" -> VlogModule.NETDEV_AFPACKET;
            case "afxdp" -> VlogModule.NETDEV_AFXDP;
            case "vxlan", "geneve" -> VlogModule.NETDEV_VPORT;
            default -> VlogModule.NETDEV;
        };
    }

    /** Once a second: a rate-limited line for every counter that grew. Control thread. */
    public void onTick(long nowNs) {
        if (started && nowNs - lastNs < PERIOD_NS) {
            return;
        }
        long periodMs = started ? TimeUnit.NANOSECONDS.toMillis(nowNs - lastNs) : 0;
        pmds(nowNs, periodMs, started);
        ports(nowNs, periodMs, started);
        started = true;
        lastNs = nowNs;
    }

    private void pmds(long nowNs, long periodMs, boolean report) {
        PmdAgent[] pmds = dp.pmds();
        int slots = DropReason.count() + PmdCounter.count();
        if (lastPmd == null || lastPmd.length != pmds.length) {
            lastPmd = new long[pmds.length][slots];
            report = false;
        }
        for (int p = 0; p < pmds.length; p++) {
            long[] last = lastPmd[p];
            for (DropReason r : DropReason.values()) {
                long now = pmds[p].stats().raw(r);
                long delta = now - last[r.id()];
                last[r.id()] = now;
                VlogModule m = module(r);
                if (report && delta > 0 && m != null) {
                    warn(m, dropLimiters[r.id()], nowNs, "pmd " + pmds[p].pmdId() + ": " + delta + " packet(s) in the last "
                            + periodMs + " ms: " + r.label() + " (" + r.reasonName() + ")");
                }
            }
            for (PmdCounter c : PmdCounter.values()) {
                VlogModule m = module(c);
                if (m == null) {
                    continue;
                }
                int slot = DropReason.count() + c.id();
                long now = pmds[p].stats().raw(c);
                long delta = now - last[slot];
                last[slot] = now;
                if (report && delta > 0) {
                    warn(m, counterLimiters[c.id()], nowNs, "pmd " + pmds[p].pmdId() + ": " + delta + " in the last "
                            + periodMs + " ms: " + c.label() + " (" + c.counterName() + ")");
                }
            }
        }
    }

    private void ports(long nowNs, long periodMs, boolean report) {
        Map<Netdev, NetdevStats> seen = new IdentityHashMap<>();
        for (Netdev n : dp.ports().values()) {
            NetdevStats s = new NetdevStats();
            n.readStats(s);
            seen.put(n, s);
            NetdevStats was = lastPorts.get(n);
            if (!report || was == null) {
                continue;
            }
            VlogModule m = module(n.type());
            String port = "port " + n.name() + " (" + n.type() + "): ";
            long errors = s.rxErrors - was.rxErrors;
            if (errors > 0) {
                warn(m, portLimiters[PortEvent.RX_ERRORS.ordinal()], nowNs, port + errors
                        + " malformed frame(s) received in the last " + periodMs + " ms (rx errors)");
            }
            long rxDrop = s.rxDropped - was.rxDropped;
            if (rxDrop > 0) {
                warn(m, portLimiters[PortEvent.RX_DROPPED.ordinal()], nowNs, port + rxDrop
                        + " frame(s) dropped on receive in the last " + periodMs + " ms (no_mbuf "
                        + (s.rxNoMbuf - was.rxNoMbuf) + ", truncated " + (s.rxTruncated - was.rxTruncated)
                        + ", oversize " + (s.rxOversize - was.rxOversize) + ")");
            }
            long txDrop = s.txDropped - was.txDropped;
            if (txDrop > 0) {
                warn(m, portLimiters[PortEvent.TX_DROPPED.ordinal()], nowNs, port + txDrop
                        + " packet(s) dropped on transmit in the last " + periodMs + " ms (queue_full "
                        + (s.txQueueFull - was.txQueueFull) + ", link_down " + (s.txLinkDown - was.txLinkDown) + ")");
            }
        }
        lastPorts = seen;
    }

    private void warn(VlogModule m, RateLimiter rl, long nowNs, String line) {
        Logger log = LoggerFactory.getLogger(m.ovsName());
        if (!log.isWarnEnabled()) {
            return;
        }
        if (vlog != null && !vlog.rateLimited(m)) {
            log.warn(line);
            return;
        }
        if (!rl.allow(nowNs)) {
            return;
        }
        String dropped = rl.takeDroppedReport(nowNs);
        if (dropped != null) {
            log.warn(dropped);
        }
        log.warn(line);
    }
}
