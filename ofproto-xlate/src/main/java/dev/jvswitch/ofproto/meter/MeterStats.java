package dev.jvswitch.ofproto.meter;

/**
 * One meter's statistics ({@code ofp_meter_stats}).
 *
 * @param meterId     the meter
 * @param flowCount   rules whose actions name it
 * @param packets     packets that reached it
 * @param bytes       their bytes
 * @param durationNs  time since it was added (or modified)
 * @param bandPackets per band: packets over its rate
 * @param bandBytes   per band: their bytes
 */
public record MeterStats(long meterId, long flowCount, long packets, long bytes, long durationNs, long[] bandPackets,
        long[] bandBytes) {
}
