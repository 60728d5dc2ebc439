package dev.jvswitch.ofproto.meter;

/**
 * A meter a bridge has: its configuration, the datapath meter it runs as, and when it was set
 * (for its statistics' duration).
 *
 * @param config    the OpenFlow meter
 * @param dpId      the datapath meter id (OVS's provider meter id)
 * @param createdNs when it was added or last modified (its counters start then)
 */
public record MeterEntry(Meter config, int dpId, long createdNs) {
    public long meterId() {
        return config.meterId();
    }
}
