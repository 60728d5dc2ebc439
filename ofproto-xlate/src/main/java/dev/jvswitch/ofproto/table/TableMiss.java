package dev.jvswitch.ofproto.table;

/** What a table does with a packet no rule matches (OpenFlow's table-miss, configured per table). */
public enum TableMiss {
    /** Drop the packet (the default, as OVS does for OpenFlow 1.3+). */
    DROP("drop"),
    /** Look the packet up in the next table, as if the missing rule said {@code goto_table:N+1}. */
    CONTINUE("continue");

    private final String configName;

    TableMiss(String configName) {
        this.configName = configName;
    }

    /** The name in configuration: {@code miss=drop|continue}. */
    public String configName() {
        return configName;
    }

    /** The mode called {@code name}, or null. */
    public static TableMiss find(String name) {
        for (TableMiss m : values()) {
            if (m.configName.equals(name)) {
                return m;
            }
        }
        return null;
    }
}
