package dev.jvswitch.ofproto.revalidate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.pmd.flow.Ukey;
import dev.jvswitch.pmd.upcall.UpcallHandler;
import dev.jvswitch.pmd.upcall.UpcallOutcome;
import dev.jvswitch.pmd.upcall.UpcallResult;

/**
 * A miniature OpenFlow slow path for the revalidator tests: one table of rules matching in_port
 * and optionally tp_dst, versioned immutable snapshots, translation that records the fields it
 * looked at (every rule examined, in priority order, until the first match) and the version it
 * read, rule counters fed by the pushed statistics, and idle/hard timeouts expired at the end of
 * a cycle. Both the {@link UpcallHandler} and the {@link Revalidation}, as the real slow path
 * will be.
 *
 * <p><b>Thread-safety:</b> the tables are an immutable snapshot behind a volatile reference,
 * replaced under this object's lock; rule counters are atomic. Test hooks are volatile.
 */
final class TestSlowPath implements UpcallHandler, Revalidation {
    /** Counters every version of a rule shares (OVS keeps them across a modify). */
    static final class RuleStats {
        final AtomicLong packets = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong usedMs = new AtomicLong();
        final AtomicLong pushes = new AtomicLong();
    }

    /** One rule; {@code tpDst < 0} matches any port. */
    record Rule(String name, int priority, int inPort, int tpDst, DpActions actions, long idleTimeoutMs,
                long hardTimeoutMs, long createdMs, RuleStats stats) {
        boolean matches(FlowKey key) {
            return key.get(FlowField.IN_PORT) == inPort && (tpDst < 0 || key.get(FlowField.TP_DST) == tpDst);
        }

        void unwildcard(FlowMask mask) {
            mask.exact(FlowField.IN_PORT);
            if (tpDst >= 0) {
                mask.exact(FlowField.TP_DST);
            }
        }
    }

    record Tables(long seq, List<Rule> rules) {
    }

    private final LongSupplier nowMs;
    private volatile Tables tables = new Tables(1, List.of());
    final AtomicInteger upcalls = new AtomicInteger();
    final AtomicInteger cycleEnds = new AtomicInteger();
    final AtomicInteger deleted = new AtomicInteger();
    final AtomicInteger notInstalled = new AtomicInteger();
    /** Run inside an upcall, after it read the tables and before it answers (a race, on demand). */
    volatile Runnable duringUpcall;
    /** Run on every statistics push (e.g. to make a dump take long on the test clock). */
    volatile Runnable onPush;
    /**
     * How long an upcall takes between reading the tables and answering (spinning), to widen the
     * window in which a change races with translations in flight.
     */
    volatile long upcallSpinNs;
    /** When set, translation makes every rule look at tp_dst (one megaflow per destination port). */
    volatile boolean perPortMegaflows;
    /** When set, every cycle's end throws (a bug in the slow path, as the pool sees it). */
    volatile boolean failCycleEnd;

    TestSlowPath(LongSupplier nowMs) {
        this.nowMs = nowMs;
    }

    // ------------------------------------------------------------------ control side

    synchronized long add(String name, int priority, int inPort, int tpDst, DpActions actions) {
        return add(name, priority, inPort, tpDst, actions, 0, 0);
    }

    synchronized long add(String name, int priority, int inPort, int tpDst, DpActions actions, long idleTimeoutMs,
                          long hardTimeoutMs) {
        List<Rule> next = new ArrayList<>(tables.rules());
        next.removeIf(r -> r.name().equals(name));
        next.add(new Rule(name, priority, inPort, tpDst, actions, idleTimeoutMs, hardTimeoutMs, nowMs.getAsLong(),
                new RuleStats()));
        return publish(next);
    }

    /** Gives rule {@code name} new actions, keeping its counters (OpenFlow modify). */
    synchronized long modify(String name, DpActions actions) {
        List<Rule> next = new ArrayList<>();
        for (Rule r : tables.rules()) {
            next.add(r.name().equals(name)
                    ? new Rule(r.name(), r.priority(), r.inPort(), r.tpDst(), actions, r.idleTimeoutMs(),
                            r.hardTimeoutMs(), r.createdMs(), r.stats())
                    : r);
        }
        return publish(next);
    }

    synchronized long remove(String name) {
        List<Rule> next = new ArrayList<>(tables.rules());
        next.removeIf(r -> r.name().equals(name));
        return publish(next);
    }

    private long publish(List<Rule> rules) {
        rules.sort(Comparator.comparingInt(Rule::priority).reversed());
        Tables t = new Tables(tables.seq() + 1, List.copyOf(rules));
        tables = t;
        return t.seq();
    }

    Tables tables() {
        return tables;
    }

    RuleStats stats(String name) {
        for (Rule r : tables.rules()) {
            if (r.name().equals(name)) {
                return r.stats();
            }
        }
        throw new IllegalArgumentException("no rule " + name);
    }

    // ------------------------------------------------------------------ translation

    /** Translates {@code key} against {@code t}: ORs into {@code mask}, returns the rule or null. */
    private Rule translate(Tables t, FlowKey key, FlowMask mask) {
        mask.exact(FlowField.IN_PORT);
        if (perPortMegaflows) {
            mask.exact(FlowField.TP_DST);
        }
        for (Rule r : t.rules()) {
            r.unwildcard(mask);
            if (r.matches(key)) {
                return r;
            }
        }
        return null;
    }

    private static DpActions actionsOf(Rule r) {
        return r == null ? DpActions.DROP : r.actions();
    }

    @Override
    public UpcallOutcome onUpcall(int pmdId, FlowKey key, Mbuf packet, UpcallResult result) {
        upcalls.incrementAndGet();
        Tables t = tables;
        Runnable hook = duringUpcall;
        if (hook != null) {
            duringUpcall = null;
            hook.run();
        }
        long spin = upcallSpinNs;
        if (spin > 0) {
            long until = System.nanoTime() + spin;
            while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
        }
        Rule r = translate(t, key, result.mask());
        result.actions(actionsOf(r));
        result.ukeyData(r);
        result.revalSeq(t.seq());
        return UpcallOutcome.OK;
    }

    @Override
    public void onNotInstalled(int pmdId, Mbuf packet, UpcallResult result) {
        notInstalled.incrementAndGet();
        if (result.ukeyData() instanceof Rule r) {
            r.stats().packets.incrementAndGet();
            r.stats().bytes.addAndGet(packet.length());
            r.stats().usedMs.accumulateAndGet(nowMs.getAsLong(), Math::max);
        }
    }

    @Override
    public long revalSeq() {
        return tables.seq();
    }

    @Override
    public RevalidateResult revalidate(Ukey ukey) {
        FlowKey key = new FlowKey();
        ukey.flow().copyMaskedKeyTo(key);
        FlowMask had = new FlowMask();
        ukey.flow().copyMaskTo(had);
        FlowMask needs = new FlowMask();
        Rule r = translate(tables, key, needs);
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if ((needs.words()[i] & ~had.words()[i]) != 0) {
                return RevalidateResult.DELETE;
            }
        }
        ukey.data(r);
        DpActions actions = actionsOf(r);
        return actions.equals(ukey.flow().actions()) ? RevalidateResult.KEEP : RevalidateResult.modify(actions);
    }

    @Override
    public void pushStats(Ukey ukey, long packetsDelta, long bytesDelta, long usedMs, int tcpFlags) {
        Runnable hook = onPush;
        if (hook != null) {
            hook.run();
        }
        if (ukey.data() instanceof Rule r) {
            r.stats().packets.addAndGet(packetsDelta);
            r.stats().bytes.addAndGet(bytesDelta);
            r.stats().usedMs.accumulateAndGet(usedMs, Math::max);
            r.stats().pushes.incrementAndGet();
        }
    }

    @Override
    public void onDeleted(Ukey ukey, DeleteReason reason) {
        deleted.incrementAndGet();
    }

    @Override
    public synchronized void onCycleEnd(long nowMs) {
        cycleEnds.incrementAndGet();
        if (failCycleEnd) {
            throw new IllegalStateException("cycle end failed");
        }
        List<Rule> keep = new ArrayList<>();
        for (Rule r : tables.rules()) {
            long lastUsed = Math.max(r.stats().usedMs.get(), r.createdMs());
            boolean idle = r.idleTimeoutMs() > 0 && nowMs - lastUsed > r.idleTimeoutMs();
            boolean hard = r.hardTimeoutMs() > 0 && nowMs - r.createdMs() > r.hardTimeoutMs();
            if (!idle && !hard) {
                keep.add(r);
            }
        }
        if (keep.size() != tables.rules().size()) {
            publish(keep);
        }
    }
}
