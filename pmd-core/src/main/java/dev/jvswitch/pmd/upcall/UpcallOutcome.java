package dev.jvswitch.pmd.upcall;

/**
 * How a miss ended: what an {@link UpcallHandler} answers, and what {@link UpcallStage#onMiss}
 * passes on to the PMD. Everything but {@link #OK} drops the packet and counts it as a failed
 * upcall (OVS's "miss with failed upcall"), plus the counter named below.
 */
public enum UpcallOutcome {
    /**
     * Actions and mask are set. Counted as a successful upcall, or as a megaflow hit when the
     * stage found the flow already installed (by an earlier packet of the same batch).
     */
    OK,
    /**
     * The packet carries a recirc_id the slow path no longer knows (its group or rule went);
     * counted as the drop reason {@code RECIRC_UNKNOWN}.
     */
    RECIRC_ID_UNKNOWN,
    /** Translation failed (too many resubmits, internal error); counted as a lost packet. */
    FAILED
}
