package dev.jvswitch.config.reload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.MempoolSettings;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.config.RevalidatorSettings;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.pmd.DatapathConfig;

/**
 * What a reload changes, worked out from the running snapshot and the new one before anything is
 * touched: ports to remove, add or reopen (same name, different type, options or rx queue
 * pinning), whether the bridges as the OpenFlow side sees them changed, bridges whose settings,
 * flows, groups, meters or OpenFlow channel changed, live tuning — and the settings that cannot change without a restart,
 * which make the whole reload fail. It compares snapshots only, so it is the same whichever
 * producer made them.
 *
 * <p>Immutable once built.
 */
public final class ReloadPlan {
    private final List<ConfigError> restartOnly = new ArrayList<>();
    private final List<PortSpec> removed = new ArrayList<>();
    private final List<PortSpec> added = new ArrayList<>();
    private final List<PortSpec> reopened = new ArrayList<>();
    private final List<String> settingsChanged = new ArrayList<>();
    private final List<String> flowsChanged = new ArrayList<>();
    private final List<String> groupsChanged = new ArrayList<>();
    private final List<String> metersChanged = new ArrayList<>();
    private final List<String> openflowChanged = new ArrayList<>();
    private boolean bridgesChanged;
    private boolean tunnelsChanged;
    private boolean tuningChanged;
    private boolean conntrackChanged;
    /** The live tuning keys that changed, each as {@code key old -> new}, for the log and the reply. */
    private final List<String> tuningKeys = new ArrayList<>();

    private ReloadPlan() {
    }

    /** The plan from {@code now} to {@code next}. */
    public static ReloadPlan of(SwitchConfig now, SwitchConfig next) {
        ReloadPlan p = new ReloadPlan();
        if (!texts(now.routes()).equals(texts(next.routes()))) {
            p.tunnelsChanged = true;
        }
        p.datapath(now, next);
        p.conntrackChanged = !now.conntrack().equals(next.conntrack());
        p.mempool(now.mempool(), next);
        if (!now.control().socket().equals(next.control().socket())) {
            p.restart(next, "control.socket", "was " + now.control().socket());
        }
        if (!now.control().logLevel().equals(next.control().logLevel())) {
            p.restart(next, "control.log-level", "was " + now.control().logLevel());
        }
        if (!Objects.equals(now.control().logFile(), next.control().logFile())) {
            p.restart(next, "control.log-file", "was " + now.control().logFile());
        }
        if (!Objects.equals(now.control().metricsListen(), next.control().metricsListen())) {
            p.restart(next, "control.metrics-listen", "was " + now.control().metricsListen());
        }
        if (now.control().maxClients() != next.control().maxClients()) {
            p.restart(next, "control.max-clients", "was " + now.control().maxClients());
        }
        if (!Objects.equals(now.control().db(), next.control().db())) {
            p.restart(next, "db", "was " + now.control().db());
        }
        if (now.control().idleTimeoutMs() != next.control().idleTimeoutMs()) {
            p.restart(next, "control.idle-timeout", "was " + now.control().idleTimeoutMs());
        }
        for (PortSpec old : now.ports()) {
            PortSpec n = next.port(old.name());
            if (n == null) {
                p.removed.add(old);
            } else if (!n.sameNetdev(old)) {
                p.reopened.add(n);
            }
            if (n == null || !n.sameOpenFlow(old)) {
                p.bridgesChanged = true;
            }
        }
        for (PortSpec n : next.ports()) {
            if (now.port(n.name()) == null) {
                p.added.add(n);
                p.bridgesChanged = true;
            }
        }
        if (!now.bridges().keySet().equals(next.bridges().keySet())) {
            p.bridgesChanged = true;
        }
        for (BridgeSpec b : next.bridges().values()) {
            BridgeSpec old = now.bridges().get(b.name());
            if (old != null && (old.endpoint() == null ? b.endpoint() != null : !old.endpoint().sameAs(b.endpoint()))) {
                // Its LOCAL port (the endpoint) comes, goes or changes.
                p.bridgesChanged = true;
                p.tunnelsChanged = true;
            }
            if (old != null && !old.mirrors().equals(b.mirrors())) {
                p.bridgesChanged = true;
            }
            if (old != null && !old.settings().equals(b.settings())) {
                p.settingsChanged.add(b.name());
            }
            if (old == null || !old.sameFlowTexts(b)) {
                p.flowsChanged.add(b.name());
            }
            if (old == null || !old.sameGroupTexts(b)) {
                p.groupsChanged.add(b.name());
            }
            if (old == null || !old.sameMeterTexts(b)) {
                p.metersChanged.add(b.name());
            }
            if (old == null ? b.openflow().enabled() : !old.openflow().equals(b.openflow())) {
                p.openflowChanged.add(b.name());
            }
        }
        for (BridgeSpec old : now.bridges().values()) {
            if (!next.bridges().containsKey(old.name()) && old.openflow().enabled()) {
                p.openflowChanged.add(old.name());
            }
        }
        return p;
    }

    private void datapath(SwitchConfig now, SwitchConfig next) {
        DatapathConfig a = now.datapath();
        DatapathConfig b = next.datapath();
        if (!now.pmdCpus().equals(next.pmdCpus())) {
            restart(next, "datapath.pmd-cpu-mask", "was CPUs " + now.pmdCpus() + ", now " + next.pmdCpus());
        }
        if (a.idle() != b.idle()) {
            restart(next, "datapath.pmd-idle", "was " + a.idle().name().toLowerCase(Locale.ROOT));
        }
        RevalidatorSettings ra = now.revalidators();
        RevalidatorSettings rb = next.revalidators();
        if (ra.threads() != rb.threads()) {
            restart(next, "datapath.n-revalidator-threads", "was " + ra.threads());
        }
        tuningChanged = a.rxqAssign() != b.rxqAssign() || a.emcInsertInvProb() != b.emcInsertInvProb()
                || a.smcEnable() != b.smcEnable() || a.flowLimit() != b.flowLimit()
                || a.txFlushIntervalUs() != b.txFlushIntervalUs() || ra.maxIdleMs() != rb.maxIdleMs()
                || !now.bridgeDefaults().equals(next.bridgeDefaults());
        tuning("pmd-rxq-assign", a.rxqAssign(), b.rxqAssign());
        tuning("emc-insert-inv-prob", a.emcInsertInvProb(), b.emcInsertInvProb());
        tuning("smc-enable", a.smcEnable(), b.smcEnable());
        tuning("flow-limit", a.flowLimit(), b.flowLimit());
        tuning("tx-flush-interval", a.txFlushIntervalUs(), b.txFlushIntervalUs());
        tuning("max-idle", ra.maxIdleMs(), rb.maxIdleMs());
        tuning("mac-* defaults", now.bridgeDefaults(), next.bridgeDefaults());
    }

    private void mempool(MempoolSettings a, SwitchConfig next) {
        MempoolSettings b = next.mempool();
        if (a.mbufs() != b.mbufs()) {
            restart(next, "mempool.mbufs", "was " + a.mbufs());
        }
        if (a.mbufSizeBytes() != b.mbufSizeBytes()) {
            restart(next, "mempool.mbuf-size", "was " + a.mbufSizeBytes());
        }
        if (a.hugepages() != b.hugepages()) {
            restart(next, "mempool.hugepages", "was " + a.hugepages());
        }
        if (!Objects.equals(a.hugepagePath(), b.hugepagePath()) && b.hugepages()) {
            restart(next, "mempool.hugepage-path", "was " + a.hugepagePath());
        }
    }

    private void restart(SwitchConfig next, String key, String was) {
        restartOnly.add(next.error(key, "cannot change while jvswitchd runs (" + was + "); restart it"));
    }

    /** Settings the reload would need a restart for; non-empty means the reload must not happen. */
    public List<ConfigError> restartOnly() {
        return Collections.unmodifiableList(restartOnly);
    }

    /** Ports whose name is gone (old side). */
    public List<PortSpec> removed() {
        return Collections.unmodifiableList(removed);
    }

    /** Ports with a new name (new side). */
    public List<PortSpec> added() {
        return Collections.unmodifiableList(added);
    }

    /** Ports kept by name whose netdev must be closed and opened again (new side). */
    public List<PortSpec> reopened() {
        return Collections.unmodifiableList(reopened);
    }

    /** Bridges in both whose {@link BridgeSpec#settings} changed (own keys or the defaults they take). */
    public List<String> settingsChanged() {
        return Collections.unmodifiableList(settingsChanged);
    }

    /** Bridges whose flows changed, new bridges included. */
    public List<String> flowsChanged() {
        return Collections.unmodifiableList(flowsChanged);
    }

    /** Bridges whose groups changed, new bridges included. */
    public List<String> groupsChanged() {
        return Collections.unmodifiableList(groupsChanged);
    }

    /**
     * Bridges whose {@code meters} lines changed, new bridges included: their meter tables are
     * replaced (a meter that stays the same keeps its counters and bucket).
     */
    public List<String> metersChanged() {
        return Collections.unmodifiableList(metersChanged);
    }

    /**
     * Bridges whose OpenFlow channel settings changed (controllers, listeners, protocols, fail
     * mode, datapath id, limits, probe), new bridges with a channel and removed bridges that had
     * one: their connections are remade live.
     */
    public List<String> openflowChanged() {
        return Collections.unmodifiableList(openflowChanged);
    }

    /** Whether the set of bridges, or a port as the OpenFlow side sees it, changed. */
    public boolean bridgesChanged() {
        return bridgesChanged;
    }

    /**
     * Whether the tunnels' endpoints or static routes changed (tunnel ports themselves are ports:
     * added, removed or reopened).
     */
    public boolean tunnelsChanged() {
        return tunnelsChanged;
    }

    private static List<String> texts(List<dev.jvswitch.config.RouteSpec> routes) {
        List<String> out = new ArrayList<>();
        for (dev.jvswitch.config.RouteSpec r : routes) {
            out.add(r.text());
        }
        return out;
    }

    /**
     * Whether live tuning of the {@code datapath} section changed: the datapath's (but its CPUs
     * and idle mode), {@code max-idle}, or the deprecated per-bridge defaults.
     */
    public boolean tuningChanged() {
        return tuningChanged;
    }

    /** The live tuning keys that changed, as {@code key old -> new}. */
    public List<String> tuningKeys() {
        return List.copyOf(tuningKeys);
    }

    private void tuning(String key, Object was, Object now) {
        if (!Objects.equals(was, now)) {
            tuningKeys.add(key + " " + was + " -> " + now);
        }
    }

    /** Whether the {@code conntrack} section changed (applied whole, live). */
    public boolean conntrackChanged() {
        return conntrackChanged;
    }

    /** Whether the new config changes nothing the switch runs by. */
    public boolean isEmpty() {
        return removed.isEmpty() && added.isEmpty() && reopened.isEmpty() && settingsChanged.isEmpty()
                && flowsChanged.isEmpty() && groupsChanged.isEmpty() && metersChanged.isEmpty()
                && openflowChanged.isEmpty() && !bridgesChanged && !tuningChanged && !conntrackChanged;
    }
}
