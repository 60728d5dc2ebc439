package dev.jvswitch.vswitchd.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.jvswitch.vswitchd.config.BridgeSpec;
import dev.jvswitch.vswitchd.config.ConfigError;
import dev.jvswitch.vswitchd.config.DatapathSettings;
import dev.jvswitch.vswitchd.config.MempoolSettings;
import dev.jvswitch.vswitchd.config.PortSpec;
import dev.jvswitch.vswitchd.config.SwitchConfig;

/**
 * What a reload changes, worked out from the running config and the new one before anything is
 * touched: ports to remove, add or reopen (same name, different type, options or rx queue
 * pinning), whether the bridges as the slow path sees them changed, bridges whose flows or
 * groups changed, live tuning — and the settings that cannot change without a restart, which
 * make the whole reload fail.
 *
 * <p>Immutable once built.
 */
public final class ReloadPlan {
    final List<ConfigError> restartOnly = new ArrayList<>();
    final List<PortSpec> removed = new ArrayList<>();
    final List<PortSpec> added = new ArrayList<>();
    /** Ports kept by name whose netdev must be closed and opened again (new side). */
    final List<PortSpec> reopened = new ArrayList<>();
    final List<String> flowsChanged = new ArrayList<>();
    final List<String> groupsChanged = new ArrayList<>();
    boolean bridgesChanged;
    boolean tuningChanged;

    private ReloadPlan() {
    }

    /** The plan from {@code now} to {@code next}. */
    public static ReloadPlan of(SwitchConfig now, SwitchConfig next) {
        ReloadPlan p = new ReloadPlan();
        p.datapath(now.datapath(), next);
        p.mempool(now.mempool(), next);
        if (!now.control().socket().equals(next.control().socket())) {
            p.restart(next, "control.socket", "was " + now.control().socket());
        }
        if (!now.control().logLevel().equals(next.control().logLevel())) {
            p.restart(next, "control.log-level", "was " + now.control().logLevel());
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
            if (old == null || !old.flowTexts().equals(b.flowTexts())) {
                p.flowsChanged.add(b.name());
            }
            if (old == null || !old.groupTexts().equals(b.groupTexts())) {
                p.groupsChanged.add(b.name());
            }
        }
        return p;
    }

    private void datapath(DatapathSettings a, SwitchConfig next) {
        DatapathSettings b = next.datapath();
        if (!a.pmdCpus().equals(b.pmdCpus())) {
            restart(next, "datapath.pmd-cpu-mask", "was CPUs " + a.pmdCpus() + ", now " + b.pmdCpus());
        }
        if (a.idle() != b.idle()) {
            restart(next, "datapath.pmd-idle", "was " + a.idle().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (a.revalidatorThreads() != b.revalidatorThreads()) {
            restart(next, "datapath.n-revalidator-threads", "was " + a.revalidatorThreads());
        }
        tuningChanged = a.rxqAssign() != b.rxqAssign() || a.emcInsertInvProb() != b.emcInsertInvProb()
                || a.smcEnable() != b.smcEnable() || a.flowLimit() != b.flowLimit() || a.maxIdleMs() != b.maxIdleMs()
                || a.txFlushIntervalUs() != b.txFlushIntervalUs() || a.macTableSize() != b.macTableSize()
                || a.macAgingSec() != b.macAgingSec();
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
        return List.copyOf(restartOnly);
    }

    /** Whether the new config changes nothing the switch runs by. */
    public boolean isEmpty() {
        return removed.isEmpty() && added.isEmpty() && reopened.isEmpty() && flowsChanged.isEmpty()
                && groupsChanged.isEmpty() && !bridgesChanged && !tuningChanged;
    }
}
