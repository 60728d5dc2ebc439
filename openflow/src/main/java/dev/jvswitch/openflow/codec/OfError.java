package dev.jvswitch.openflow.codec;

/**
 * The OpenFlow errors this switch sends, as (type, code) pairs of OpenFlow 1.3 (the same numbers
 * in 1.4 and 1.5): {@code OFPET_*} and its {@code OFP*C_*} code. Open vSwitch's own errors
 * (Nicira's, {@code NX1.2+(code)} in its {@code ofp-errors.h}) are experimenter errors: type
 * {@code OFPET_EXPERIMENTER} (0xffff), the code as {@code exp_code}, then the experimenter id
 * ({@link #experimenter()}) before the data. OpenFlow 1.3 has no bundle errors: there they travel
 * as the ONF extension's experimenter errors ({@code ONF1.3(2300 + code)}, {@link #onWire}).
 */
public enum OfError {
    HELLO_INCOMPATIBLE(0, 0),
    BAD_REQUEST_BAD_VERSION(1, 0),
    BAD_REQUEST_BAD_TYPE(1, 1),
    BAD_REQUEST_BAD_MULTIPART(1, 2),
    BAD_REQUEST_BAD_EXPERIMENTER(1, 3),
    BAD_REQUEST_BAD_EXP_TYPE(1, 4),
    BAD_REQUEST_EPERM(1, 5),
    BAD_REQUEST_BAD_LEN(1, 6),
    BAD_REQUEST_BUFFER_UNKNOWN(1, 8),
    BAD_REQUEST_BAD_TABLE_ID(1, 9),
    BAD_REQUEST_IS_SLAVE(1, 10),
    BAD_REQUEST_BAD_PORT(1, 11),
    BAD_REQUEST_BAD_PACKET(1, 12),
    BAD_ACTION_BAD_TYPE(2, 0),
    BAD_ACTION_BAD_LEN(2, 1),
    BAD_ACTION_BAD_EXPERIMENTER(2, 2),
    BAD_ACTION_BAD_EXP_TYPE(2, 3),
    BAD_ACTION_BAD_OUT_PORT(2, 4),
    BAD_ACTION_BAD_ARGUMENT(2, 5),
    BAD_ACTION_BAD_OUT_GROUP(2, 9),
    BAD_ACTION_MATCH_INCONSISTENT(2, 10),
    BAD_ACTION_BAD_SET_TYPE(2, 13),
    BAD_ACTION_BAD_SET_ARGUMENT(2, 15),
    BAD_INSTRUCTION_UNKNOWN_INST(3, 0),
    BAD_INSTRUCTION_UNSUP_INST(3, 1),
    BAD_INSTRUCTION_BAD_TABLE_ID(3, 2),
    BAD_INSTRUCTION_UNSUP_METADATA(3, 3),
    BAD_MATCH_BAD_TYPE(4, 0),
    BAD_MATCH_BAD_LEN(4, 1),
    BAD_MATCH_BAD_VALUE(4, 7),
    BAD_MATCH_BAD_MASK(4, 8),
    BAD_MATCH_BAD_FIELD(4, 6),
    BAD_MATCH_BAD_PREREQ(4, 9),
    BAD_MATCH_DUP_FIELD(4, 10),
    FLOW_MOD_FAILED_UNKNOWN(5, 0),
    FLOW_MOD_FAILED_TABLE_FULL(5, 1),
    FLOW_MOD_FAILED_BAD_TABLE_ID(5, 2),
    FLOW_MOD_FAILED_OVERLAP(5, 3),
    FLOW_MOD_FAILED_EPERM(5, 4),
    FLOW_MOD_FAILED_BAD_TIMEOUT(5, 5),
    FLOW_MOD_FAILED_BAD_COMMAND(5, 6),
    FLOW_MOD_FAILED_BAD_FLAGS(5, 7),
    GROUP_MOD_FAILED_GROUP_EXISTS(6, 0),
    GROUP_MOD_FAILED_INVALID_GROUP(6, 1),
    GROUP_MOD_FAILED_UNKNOWN_GROUP(6, 8),
    GROUP_MOD_FAILED_BAD_TYPE(6, 10),
    GROUP_MOD_FAILED_BAD_COMMAND(6, 11),
    GROUP_MOD_FAILED_BAD_BUCKET(6, 12),
    GROUP_MOD_FAILED_BAD_WATCH(6, 13),
    PORT_MOD_FAILED_BAD_PORT(7, 0),
    PORT_MOD_FAILED_BAD_HW_ADDR(7, 1),
    PORT_MOD_FAILED_BAD_CONFIG(7, 2),
    TABLE_MOD_FAILED_BAD_TABLE(8, 0),
    TABLE_MOD_FAILED_BAD_CONFIG(8, 1),
    QUEUE_OP_FAILED_BAD_PORT(9, 0),
    SWITCH_CONFIG_FAILED_BAD_FLAGS(10, 0),
    ROLE_REQUEST_FAILED_STALE(11, 0),
    ROLE_REQUEST_FAILED_UNSUP(11, 1),
    ROLE_REQUEST_FAILED_BAD_ROLE(11, 2),
    METER_MOD_FAILED_UNKNOWN(12, 0),
    METER_MOD_FAILED_METER_EXISTS(12, 1),
    METER_MOD_FAILED_INVALID_METER(12, 2),
    METER_MOD_FAILED_UNKNOWN_METER(12, 3),
    METER_MOD_FAILED_BAD_COMMAND(12, 4),
    METER_MOD_FAILED_BAD_FLAGS(12, 5),
    METER_MOD_FAILED_BAD_RATE(12, 6),
    METER_MOD_FAILED_BAD_BURST(12, 7),
    METER_MOD_FAILED_BAD_BAND(12, 8),
    METER_MOD_FAILED_BAD_BAND_VALUE(12, 9),
    METER_MOD_FAILED_OUT_OF_METERS(12, 10),
    METER_MOD_FAILED_OUT_OF_BANDS(12, 11),
    TABLE_FEATURES_FAILED_EPERM(13, 5),
    BUNDLE_FAILED_UNKNOWN(17, 0),
    BUNDLE_FAILED_EPERM(17, 1),
    BUNDLE_FAILED_BAD_ID(17, 2),
    BUNDLE_FAILED_BUNDLE_EXIST(17, 3),
    BUNDLE_FAILED_BUNDLE_CLOSED(17, 4),
    BUNDLE_FAILED_OUT_OF_BUNDLES(17, 5),
    BUNDLE_FAILED_BAD_TYPE(17, 6),
    BUNDLE_FAILED_BAD_FLAGS(17, 7),
    BUNDLE_FAILED_MSG_UNSUP(17, 10),
    BUNDLE_FAILED_MSG_CONFLICT(17, 11),
    BUNDLE_FAILED_MSG_TOO_MANY(17, 12),
    BUNDLE_FAILED_MSG_FAILED(17, 13),
    /** {@code OFPERR_NXFMFC_INVALID_TLV_FIELD}: a flow names a {@code tun_metadataN} the TLV map does not map. */
    NXFMFC_INVALID_TLV_FIELD(37),
    /** {@code OFPERR_NXTTMFC_BAD_COMMAND}: a TLV table mod command other than add, delete, clear. */
    NXTTMFC_BAD_COMMAND(16),
    /** {@code OFPERR_NXTTMFC_BAD_OPT_LEN}: an option length not a multiple of 4 up to 124. */
    NXTTMFC_BAD_OPT_LEN(17),
    /** {@code OFPERR_NXTTMFC_BAD_FIELD_IDX}: a {@code tun_metadata} index of 64 or more. */
    NXTTMFC_BAD_FIELD_IDX(18),
    /** {@code OFPERR_NXTTMFC_TABLE_FULL}: the options would not fit the option space. */
    NXTTMFC_TABLE_FULL(19),
    /** {@code OFPERR_NXTTMFC_ALREADY_MAPPED}: an add for a {@code tun_metadata} index already mapped. */
    NXTTMFC_ALREADY_MAPPED(20),
    /** {@code OFPERR_NXTTMFC_DUP_ENTRY}: an add for an option already mapped to another index. */
    NXTTMFC_DUP_ENTRY(21),
    /** {@code OFPERR_NXTTMFC_INVALID_TLV_DEL}: a delete (or clear) of a mapping a flow uses. */
    NXTTMFC_INVALID_TLV_DEL(38);

    /** {@code OFPET_EXPERIMENTER}. */
    public static final int EXPERIMENTER = 0xffff;
    /** Nicira's experimenter id ({@code NX_VENDOR_ID}). */
    public static final long NX_VENDOR_ID = 0x2320L;
    /** The Open Networking Foundation's experimenter id ({@code ONF_VENDOR_ID}). */
    public static final long ONF_VENDOR_ID = 0x4f4e4600L;
    private static final int OFPET_BUNDLE_FAILED = 17;
    /** {@code exp_code} of the first ONF bundle error on OpenFlow 1.3 ({@code OFPBFC_UNKNOWN}). */
    private static final int ONF13_BUNDLE_CODE = 2300;
    private static final int OF13_WIRE = 4;

    private final int type;
    private final int code;
    private final long experimenter;

    OfError(int type, int code) {
        this.type = type;
        this.code = code;
        this.experimenter = -1;
    }

    /** A Nicira error: {@code OFPET_EXPERIMENTER}, {@code exp_code} {@code code}. */
    OfError(int code) {
        this.type = EXPERIMENTER;
        this.code = code;
        this.experimenter = NX_VENDOR_ID;
    }

    /** The experimenter id an experimenter error carries after its code; -1 for a standard error. */
    public long experimenter() {
        return experimenter;
    }

    /** {@code OFPET_*}. */
    public int type() {
        return type;
    }

    /** The code within {@link #type()}. */
    public int code() {
        return code;
    }

    /** This error as wire version {@code version} carries it: type, code and experimenter id (-1: none). */
    public Wire onWire(int version) {
        if (version == OF13_WIRE && type == OFPET_BUNDLE_FAILED) {
            return new Wire(EXPERIMENTER, ONF13_BUNDLE_CODE + code, ONF_VENDOR_ID);
        }
        return new Wire(type, code, experimenter);
    }

    /** An error's type, code and experimenter id (-1 for a standard error) as one wire version sends them. */
    public record Wire(int type, int code, long experimenter) {
    }
}
