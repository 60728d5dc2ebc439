package dev.jvswitch.ofproto.mod;

/**
 * A transaction of {@link OfMod}s refused: which one failed ({@link #index()} in the list) and
 * why (the one-line message of the refusal). Nothing of the transaction was applied. An OpenFlow
 * bundle commit uses the index to answer the message at fault.
 */
public final class ModFailedException extends IllegalArgumentException {
    private final int index;

    public ModFailedException(int index, String message, Throwable cause) {
        super(message, cause);
        this.index = index;
    }

    /** Position in the transaction of the mod that failed. */
    public int index() {
        return index;
    }
}
