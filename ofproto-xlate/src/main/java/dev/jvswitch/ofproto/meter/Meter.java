package dev.jvswitch.ofproto.meter;

import java.util.List;

/**
 * An OpenFlow meter's configuration ({@code ofputil_meter_config}): its id, flags and bands.
 *
 * <p>Ids: 1 .. {@link #MAX} are ordinary meters; {@link #CONTROLLER} rate-limits the packet-ins
 * of controller actions that name no meter of their own, as in OVS; {@link #SLOWPATH} is accepted
 * and kept; {@link #ALL} only names every meter in a delete or a request.
 *
 * @param meterId the meter's id
 * @param flags   {@link #KBPS}, {@link #PKTPS}, {@link #BURST}, {@link #STATS} (OpenFlow's {@code OFPMF_*})
 * @param bands   its bands, in order
 */
public record Meter(long meterId, int flags, List<MeterBand> bands) {
    public static final int KBPS = 1;
    public static final int PKTPS = 2;
    public static final int BURST = 4;
    public static final int STATS = 8;
    /** Every flag the datapath supports. */
    public static final int SUPPORTED_FLAGS = KBPS | PKTPS | BURST | STATS;
    public static final long MAX = 0xffff_0000L;
    public static final long SLOWPATH = 0xffff_fffdL;
    public static final long CONTROLLER = 0xffff_fffeL;
    public static final long ALL = 0xffff_ffffL;
    /** Most bands a meter may have (OVS's userspace {@code MAX_BANDS}). */
    public static final int MAX_BANDS = 8;
    /** Meters a bridge may have (OVS's userspace {@code MAX_METERS}). */
    public static final long MAX_METERS = dev.jvswitch.flowcache.actions.DpActions.MAX_METERS;

    public Meter {
        bands = List.copyOf(bands);
    }

    public boolean pktps() {
        return (flags & PKTPS) != 0;
    }

    /**
     * What OVS's ofproto and userspace datapath check before setting a meter (in their order):
     * the id, the number of bands, the flags, then each band's type and rate.
     *
     * @throws MeterModException with OVS's error code and a one-line message
     */
    public void check() {
        if (meterId == 0 || meterId > MAX && meterId != SLOWPATH && meterId != CONTROLLER) {
            throw new MeterModException(MeterModException.Code.INVALID_METER, "meter id " + meterId
                    + " is not 1.." + MAX + ", slowpath or controller");
        }
        if (bands.isEmpty() || bands.size() > MAX_BANDS) {
            throw new MeterModException(MeterModException.Code.OUT_OF_BANDS, "meter " + meterId + ": "
                    + bands.size() + " bands, 1 to " + MAX_BANDS);
        }
        if ((flags & ~SUPPORTED_FLAGS) != 0 || (flags & KBPS) != 0 && (flags & PKTPS) != 0) {
            throw new MeterModException(MeterModException.Code.BAD_FLAGS, "meter " + meterId + ": flags 0x"
                    + Integer.toHexString(flags) + " (kbps or pktps, burst, stats)");
        }
        for (MeterBand b : bands) {
            if (b.type() != MeterBand.DROP) {
                throw new MeterModException(MeterModException.Code.BAD_BAND, "meter " + meterId + ": band type "
                        + (b.type() == MeterBand.DSCP_REMARK ? "dscp_remark" : String.valueOf(b.type()))
                        + " is not supported (drop only)");
            }
            if (b.rate() <= 0) {
                throw new MeterModException(MeterModException.Code.BAD_RATE, "meter " + meterId
                        + ": a band's rate must not be 0");
            }
        }
    }

    /** True if {@code actions} run meter {@code meterId} (a {@code meter:N} among them, as OVS looks). */
    public static boolean namedBy(List<dev.jvswitch.ofproto.action.OfAction> actions, long meterId) {
        for (dev.jvswitch.ofproto.action.OfAction a : actions) {
            if (a instanceof dev.jvswitch.ofproto.action.OfAction.Meter m && m.meterId() == meterId) {
                return true;
            }
        }
        return false;
    }

    /** The meter's datapath form: fresh buckets and counters. */
    public dev.jvswitch.pmd.meter.DpMeter toDatapath() {
        long[] rates = new long[bands.size()];
        long[] bursts = new long[bands.size()];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = bands.get(i).rate();
            bursts[i] = (flags & BURST) != 0 ? bands.get(i).burstSize() : 0;
        }
        return new dev.jvswitch.pmd.meter.DpMeter(pktps(), rates, bursts);
    }
}
