package dev.jvswitch.ofproto.xlate;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.table.Rule;

/**
 * What translation reads from one bridge's OpenFlow tables: one immutable version of its rules
 * and groups. The table package's snapshot ({@code OfTables}) is adapted to this by
 * {@link OfTablesAdapter}; tests may supply their own (a linear reference classifier).
 *
 * <p><b>Thread-safety:</b> implementations are immutable, so any number of PMD threads may call
 * them at once.
 */
public interface XlateTables {
    /** The version of this snapshot; a change to any table or group gives a higher one. */
    long version();

    /**
     * The highest-priority rule of table {@code tableId} that {@code flow} matches, or null.
     * ORs into {@code wc} every bit the lookup looked at (the union of the masks of the rules or
     * subtables it examined), so that every packet agreeing with {@code flow} on those bits gets
     * the same answer.
     */
    Rule lookup(int tableId, FlowKey flow, FlowMask wc);

    /** Group {@code groupId}, or null. */
    Group group(long groupId);

    /** Meter {@code meterId}, or null. */
    default dev.jvswitch.ofproto.meter.MeterEntry meter(long meterId) {
        return null;
    }

    /**
     * True if a packet that misses table {@code tableId} goes on to the next table (OpenFlow's
     * table-miss "continue"); false if it is dropped (the default).
     */
    default boolean missContinues(int tableId) {
        return false;
    }
}
