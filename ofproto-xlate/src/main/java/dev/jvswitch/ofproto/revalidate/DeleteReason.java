package dev.jvswitch.ofproto.revalidate;

/** Why a revalidator deleted a megaflow; each has its counter in {@code upcall/show}. */
public enum DeleteReason {
    /** Unused for longer than {@code max-idle}. */
    IDLE,
    /**
     * Over the flow limit: unused for longer than the 100 ms emergency {@code max-idle}, or every
     * flow while the datapath holds more than twice the limit.
     */
    LIMIT,
    /** Its translation changed beyond what its mask allows, or failed. */
    REVALIDATION,
    /** The pool was asked to remove every flow ({@link RevalidatorPool#purge()}). */
    PURGE
}
