package dev.jvswitch.ofproto.meter;

/**
 * A meter mod (or a flow naming a meter) that cannot be applied, with OpenFlow's meter mod
 * failed code for it ({@code OFPMMFC_*}), so the channel answers as OVS does.
 */
public final class MeterModException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** OpenFlow's {@code ofp_meter_mod_failed_code} values. */
    public enum Code {
        UNKNOWN(0), METER_EXISTS(1), INVALID_METER(2), UNKNOWN_METER(3), BAD_COMMAND(4), BAD_FLAGS(5),
        BAD_RATE(6), BAD_BURST(7), BAD_BAND(8), BAD_BAND_VALUE(9), OUT_OF_METERS(10), OUT_OF_BANDS(11);

        private final int wire;

        Code(int wire) {
            this.wire = wire;
        }

        /** The code on the wire. */
        public int wire() {
            return wire;
        }
    }

    private final Code code;

    public MeterModException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
