package dev.jvswitch.pmd.upcall;

/** How an upcall ended. Everything but {@link #OK} drops the packet and counts it. */
public enum UpcallOutcome {
    /** Actions and mask are set. */
    OK,
    /** The packet carries a recirc_id the slow path no longer knows (its group or rule went). */
    RECIRC_ID_UNKNOWN,
    /** Translation failed (too many resubmits, internal error). */
    FAILED
}
