package dev.jvswitch.ofproto.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.group.Group;

/**
 * The current version of a bridge's OpenFlow tables, and the one place that publishes a new one.
 *
 * <p><b>Publication.</b> {@link #publish} (reached through {@link OfTables.Transaction#commit()}):
 * <ol>
 *   <li>builds the new immutable {@link OfTables} (all its fields final);</li>
 *   <li>stores it in {@code current} with release semantics;</li>
 *   <li>increments {@code revalSeq} (a volatile add).</li>
 * </ol>
 * A reader calls {@link #current()} (an acquire load) and then uses that version for as long as it
 * likes, without locks; it never blocks and is never blocked. A revalidator that reads
 * {@link #revalSeq()} and then {@link #current()} sees a version at least as new as the change
 * that produced that {@code revalSeq}, so "tables changed since my last pass" is never missed.
 *
 * <p><b>Thread-safety:</b> {@code current} is written by committing threads, serialised by this
 * object's monitor (one writer at a time; a transaction begun on an older version than the one
 * current at commit is refused rather than silently losing the other change), and read by any
 * thread with acquire. {@code revalSeq} may be shared by several bridges so one counter says "some
 * table changed".
 */
public final class OfTablesHolder {
    private static final VarHandle CURRENT;

    static {
        try {
            CURRENT = MethodHandles.lookup().findVarHandle(OfTablesHolder.class, "current", OfTables.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Written with release in {@link #publish}, read with acquire in {@link #current()}. */
    @SuppressWarnings("unused")
    private OfTables current;
    private final AtomicLong revalSeq;

    /** Empty tables with a revalSeq counter of their own. */
    public OfTablesHolder() {
        this(new AtomicLong());
    }

    /** Empty tables bumping the shared {@code revalSeq} on every change. */
    public OfTablesHolder(AtomicLong revalSeq) {
        this.revalSeq = revalSeq;
        CURRENT.setRelease(this, OfTables.empty());
    }

    /** The current version (acquire). */
    public OfTables current() {
        return (OfTables) CURRENT.getAcquire(this);
    }

    /** Incremented after every published change (and by other bridges sharing the counter). */
    public long revalSeq() {
        return revalSeq.get();
    }

    /** A transaction on the current version; {@link OfTables.Transaction#commit()} publishes it. */
    public OfTables.Transaction begin() {
        return new OfTables.Transaction(current(), this);
    }

    synchronized OfTables publish(OfTables.Transaction tx) {
        OfTables cur = current();
        if (tx.base() != cur) {
            throw new IllegalStateException("tables changed from version " + tx.base().version() + " to "
                    + cur.version() + " since the transaction began");
        }
        OfTables next = tx.build();
        if (next != cur) {
            CURRENT.setRelease(this, next);
            revalSeq.incrementAndGet();
        }
        return next;
    }

    // ---------------------------------------------------------------- one-change transactions

    /** Adds (or replaces) one rule and publishes; returns the replaced rule or null. */
    public synchronized Rule addFlow(Rule r) {
        OfTables.Transaction tx = begin();
        Rule old = tx.add(r);
        tx.commit();
        return old;
    }

    /** Modifies the selected rules' actions and publishes; returns their new versions. */
    public synchronized List<Rule> modifyFlows(FlowFilter filter, List<OfAction> actions, boolean strict) {
        OfTables.Transaction tx = begin();
        List<Rule> out = tx.modify(filter, actions, strict);
        tx.commit();
        return out;
    }

    /** Deletes the selected rules and publishes; returns them. */
    public synchronized List<Rule> deleteFlows(FlowFilter filter, boolean strict) {
        OfTables.Transaction tx = begin();
        List<Rule> out = tx.delete(filter, strict);
        tx.commit();
        return out;
    }

    public synchronized void addGroup(Group g) {
        OfTables.Transaction tx = begin();
        tx.addGroup(g);
        tx.commit();
    }

    public synchronized void modifyGroup(Group g) {
        OfTables.Transaction tx = begin();
        tx.modifyGroup(g);
        tx.commit();
    }

    /** Deletes a group and the rules naming it, and publishes; returns the group or null. */
    public synchronized Group deleteGroup(long groupId) {
        OfTables.Transaction tx = begin();
        Group g = tx.deleteGroup(groupId);
        tx.commit();
        return g;
    }

    public synchronized void setMiss(int tableId, TableMiss miss) {
        OfTables.Transaction tx = begin();
        tx.setMiss(tableId, miss);
        tx.commit();
    }
}
