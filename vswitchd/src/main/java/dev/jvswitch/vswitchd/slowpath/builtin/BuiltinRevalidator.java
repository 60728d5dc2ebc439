package dev.jvswitch.vswitchd.slowpath.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.flow.Ukey;

/**
 * The built-in slow path's stand-in for OVS's revalidators, run by the control thread on its
 * tick instead of by threads of its own: it pushes megaflow stats to the rules they came from,
 * keeps MAC entries that megaflows use alive, deletes megaflows idle for longer than
 * {@code max-idle}, ages MAC entries, and, when the tables or the MAC tables changed since the
 * last pass, translates every megaflow again (from its masked key, which is enough: the mask
 * holds every field the translation looked at) to modify its actions, or delete it when its mask
 * would change.
 *
 * <p><b>Thread-safety:</b> owned by the control thread (every field, and the rules' counters it
 * writes). It reads ukeys and megaflows, which document their own publication, and changes
 * flows only through the datapath's flow API.
 */
final class BuiltinRevalidator {
    /** What a built-in upcall attaches to the ukey it installs. */
    record UkeyData(String bridge, long version, BuiltinRule rule) {
    }

    private final BuiltinSlowPath slowPath;
    private final Datapath dp;
    private final FlowKey key = new FlowKey();
    private final FlowMask mask = new FlowMask();
    private final FlowMask fresh = new FlowMask();
    private long revalidatedVersion;
    private long lastTickMs;

    long deletedIdle;
    long deletedRevalidate;
    long modified;
    long passes;
    long flowsMax;
    long lastPassNs;

    BuiltinRevalidator(BuiltinSlowPath slowPath, Datapath dp) {
        this.slowPath = slowPath;
        this.dp = dp;
    }

    /** One tick: stats, MAC refresh, idle expiry, MAC aging, then revalidation if anything changed. */
    void onTick(long nowMs, long maxIdleMs, long macAgingMs) {
        long t0 = System.nanoTime();
        BuiltinTables tables = slowPath.tables();
        List<Ukey> ukeys = dp.flows().dump();
        flowsMax = Math.max(flowsMax, ukeys.size());
        List<CompletableFuture<Void>> deletes = new ArrayList<>();
        for (Ukey u : ukeys) {
            Megaflow f = u.flow();
            if (f.isDead() || !(u.data() instanceof UkeyData d)) {
                continue;
            }
            push(u, d);
            if (f.usedMs() > lastTickMs) {
                refreshMac(tables.byName.get(d.bridge()), f);
            }
            long used = f.usedMs() == 0 ? u.createdMs() : f.usedMs();
            if (nowMs - used > maxIdleMs) {
                deletes.add(dp.flows().deleteAsync(u));
                deletedIdle++;
            }
        }
        dp.flows().await(deletes);
        boolean aged = false;
        for (BridgeState b : tables.byName.values()) {
            aged |= b.macs.age(nowMs, macAgingMs) > 0;
        }
        if (aged) {
            slowPath.bumpVersion();
        }
        if (slowPath.version() != revalidatedVersion) {
            revalidate(nowMs);
        }
        lastTickMs = nowMs;
        lastPassNs = System.nanoTime() - t0;
        passes++;
    }

    /**
     * Brings every megaflow translated before the current version in line with the tables now.
     * The caller has made sure no upcall of an older version is still in flight (a PMD barrier).
     */
    void revalidate(long nowMs) {
        long version = slowPath.version();
        BuiltinTables tables = slowPath.tables();
        List<CompletableFuture<Void>> deletes = new ArrayList<>();
        for (Ukey u : dp.flows().dump()) {
            Megaflow f = u.flow();
            if (f.isDead() || !(u.data() instanceof UkeyData d) || d.version() == version) {
                continue;
            }
            BridgeState b = tables.byName.get(d.bridge());
            if (b == null || b.byDpPort(f.inPort()) == null) {
                push(u, d);
                deletes.add(dp.flows().deleteAsync(u));
                deletedRevalidate++;
                continue;
            }
            f.copyMaskedKeyTo(key);
            f.copyMaskTo(mask);
            fresh.clear();
            BuiltinXlate.Result r = BuiltinXlate.translate(b, key, fresh, false, nowMs, null);
            fresh.exact(FlowField.IN_PORT);
            fresh.exact(FlowField.RECIRC_ID);
            push(u, d);
            if (!fresh.equals(mask)) {
                deletes.add(dp.flows().deleteAsync(u));
                deletedRevalidate++;
                continue;
            }
            if (!r.actions().equals(f.actions())) {
                dp.flows().modify(u.id(), r.actions());
                modified++;
            }
            u.data(new UkeyData(d.bridge(), version, r.rule()));
        }
        dp.flows().await(deletes);
        revalidatedVersion = version;
    }

    /** Adds what the megaflow counted since the last push to its rule. */
    private static void push(Ukey u, UkeyData d) {
        Megaflow f = u.flow();
        long packets = f.packets();
        long bytes = f.bytes();
        BuiltinRule rule = d.rule();
        if (rule != null && packets > u.pushedPackets) {
            rule.packets += packets - u.pushedPackets;
            rule.bytes += bytes - u.pushedBytes;
            rule.usedMs = Math.max(rule.usedMs, f.usedMs());
        }
        u.pushedPackets = packets;
        u.pushedBytes = bytes;
    }

    /** A megaflow in use keeps the MAC entry of its source alive, as OVS's revalidators do. */
    private void refreshMac(BridgeState b, Megaflow f) {
        if (b == null) {
            return;
        }
        f.copyMaskTo(mask);
        if (mask.isExact(FlowField.ETH_SRC)) {
            f.copyMaskedKeyTo(key);
            b.macs.refresh(key.get(FlowField.ETH_SRC), f.inPort(), f.usedMs());
        }
    }
}
