package dev.jvswitch.ofproto.xlate;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.PortConfigs;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.mac.MacTable;

/**
 * One bridge as a translation sees it: its configuration and table snapshot (immutable, of one
 * version) and its MAC learning table (shared by every version; it changes as packets arrive).
 *
 * <p><b>Thread-safety:</b> the configuration and tables are immutable and the MAC table is
 * thread-safe. The bucket-table cache is a {@link ConcurrentHashMap}; two PMDs that miss at once
 * both compute the table, which is a pure function of the group, and either result is kept.
 */
public final class XlateBridge {
    private final BridgeConfig config;
    private final XlateTables tables;
    private final MacTable macTable;
    private final PortConfigs ports;
    private final ConcurrentHashMap<Long, BucketTable> bucketTables = new ConcurrentHashMap<>();

    public XlateBridge(BridgeConfig config, XlateTables tables, MacTable macTable) {
        this(config, tables, macTable, PortConfigs.NONE);
    }

    public XlateBridge(BridgeConfig config, XlateTables tables, MacTable macTable, PortConfigs ports) {
        this.config = Objects.requireNonNull(config, "config");
        this.tables = Objects.requireNonNull(tables, "tables");
        this.macTable = Objects.requireNonNull(macTable, "macTable");
        this.ports = Objects.requireNonNull(ports, "ports");
    }

    /** The port config bits port mods set (of this version). */
    public PortConfigs ports() {
        return ports;
    }

    public String name() {
        return config.name();
    }

    public BridgeConfig config() {
        return config;
    }

    public XlateTables tables() {
        return tables;
    }

    public MacTable macTable() {
        return macTable;
    }

    /**
     * The bucket table of select group {@code g}; computed once per group and snapshot. It is a
     * function of the buckets alone, so every snapshot that holds the same group gets the same
     * table, and a connection keeps its bucket for the life of the group.
     */
    BucketTable bucketTable(Group g) {
        BucketTable t = bucketTables.get(g.groupId());
        if (t == null || !t.isFor(g)) {
            t = BucketTable.of(g);
            bucketTables.put(g.groupId(), t);
        }
        return t;
    }
}
