package dev.jvswitch.ofproto.meter;

/**
 * One band of a meter ({@code ofp_meter_band_header}): what happens to packets over
 * {@code rate}. Only {@link #DROP} bands run in the datapath (as in OVS's userspace datapath); a
 * {@code dscp_remark} band is parsed and refused when the meter is set (OFPMMFC_BAD_BAND).
 *
 * @param type      {@link #DROP} or {@link #DSCP_REMARK} (OpenFlow's band type)
 * @param rate      packets per second or kilobits per second, as the meter's flags say
 * @param burstSize packets or kilobits (used with the meter's {@code burst} flag)
 * @param precLevel dscp_remark's precedence increase (0 for drop)
 */
public record MeterBand(int type, long rate, long burstSize, int precLevel) {
    public static final int DROP = 1;
    public static final int DSCP_REMARK = 2;

    /** A drop band. */
    public static MeterBand drop(long rate, long burstSize) {
        return new MeterBand(DROP, rate, burstSize, 0);
    }
}
