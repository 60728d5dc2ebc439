package dev.jvswitch.ofproto.tnl;

/**
 * A TLV map edit refused, with OVS's reason for it, so that the OpenFlow channel answers
 * {@code NXT_TLV_TABLE_MOD} with the error OVS sends ({@code OFPERR_NXTTMFC_*}) and the control
 * socket prints the message.
 */
public final class TlvMapException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Why; each is one of OVS's {@code NXTTMFC_*} codes. */
    public enum Reason {
        /** The option length is not one this switch maps ({@code NXTTMFC_BAD_OPT_LEN}). */
        BAD_OPT_LEN,
        /** The {@code tun_metadata} index is already mapped ({@code NXTTMFC_ALREADY_MAPPED}). */
        ALREADY_MAPPED,
        /** The option is already mapped to another index ({@code NXTTMFC_DUP_ENTRY}). */
        DUP_ENTRY,
        /** The options would not fit the option space ({@code NXTTMFC_TABLE_FULL}). */
        TABLE_FULL,
        /** A deletion names a mapping the map does not hold (the control socket's check; OVS ignores it). */
        NOT_MAPPED
    }

    private final Reason reason;

    public TlvMapException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
