package dev.jvswitch.ofproto.xlate;

import java.util.Objects;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.table.OfTables;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.table.TableMiss;

/**
 * One version of a bridge's {@link OfTables} (the tuple-space classifier) as translation reads it.
 *
 * <p><b>Thread-safety:</b> immutable, like the tables it wraps.
 */
public final class OfTablesAdapter implements XlateTables {
    private final OfTables tables;

    public OfTablesAdapter(OfTables tables) {
        this.tables = Objects.requireNonNull(tables, "tables");
    }

    public OfTables tables() {
        return tables;
    }

    @Override
    public long version() {
        return tables.version();
    }

    @Override
    public Rule lookup(int tableId, FlowKey flow, FlowMask wc) {
        return tables.lookup(tableId, flow, wc);
    }

    @Override
    public Group group(long groupId) {
        return tables.group(groupId);
    }

    @Override
    public dev.jvswitch.ofproto.meter.MeterEntry meter(long meterId) {
        return tables.meter(meterId);
    }

    @Override
    public boolean missContinues(int tableId) {
        return tables.miss(tableId) == TableMiss.CONTINUE;
    }
}
