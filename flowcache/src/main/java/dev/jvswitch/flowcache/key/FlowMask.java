package dev.jvswitch.flowcache.key;

/**
 * A mask over the same words as {@link FlowKey}: a bit set to 1 is a bit the flow matches on.
 *
 * <p>(Placeholder written before the field table; the parser work fills it in.)
 */
public final class FlowMask {
    private final long[] words = new long[FlowKey.WORDS];

    public long[] words() {
        return words;
    }
}
