package dev.jvswitch.flowcache.key;

import java.util.Arrays;

/**
 * A mask over the same words as {@link FlowKey}: a bit set to 1 is a bit the flow matches on, 0 a
 * bit it ignores (wildcards). Translation builds one per megaflow by unwildcarding the fields it
 * looked at; a dpcls subtable is keyed by one and precomputes from {@link #wordMap()} which words
 * it needs to hash and compare (the idea of OVS's miniflow).
 *
 * <p><b>Thread-safety:</b> not thread-safe while being built. Once a mask is installed in a
 * subtable it is never written again, and it is published to other threads only with the
 * megaflow or subtable that holds it.
 */
public final class FlowMask {
    private final long[] words = new long[FlowKey.ALL_WORDS];

    public long[] words() {
        return words;
    }

    /** Wildcards everything. */
    public FlowMask clear() {
        Arrays.fill(words, 0L);
        return this;
    }

    public FlowMask copyFrom(FlowMask other) {
        System.arraycopy(other.words, 0, words, 0, FlowKey.ALL_WORDS);
        return this;
    }

    // ---------------------------------------------------------------- per-field setters

    /** Matches every bit of {@code f}. */
    public FlowMask exact(FlowField f) {
        if (f.is128()) {
            words[f.word()] = -1L;
            words[f.word() + 1] = -1L;
        } else {
            words[f.word()] |= f.wordMask();
        }
        return this;
    }

    /** Matches none of {@code f}'s bits (for an alias, the bits it shares with its owner). */
    public FlowMask wildcard(FlowField f) {
        if (f.is128()) {
            words[f.word()] = 0;
            words[f.word() + 1] = 0;
        } else {
            words[f.word()] &= ~f.wordMask();
        }
        return this;
    }

    /**
     * Sets {@code f}'s mask to its {@code bits} most significant bits (a CIDR prefix for addresses),
     * replacing what the mask had for {@code f}.
     */
    public FlowMask prefix(FlowField f, int bits) {
        if (bits < 0 || bits > f.widthBits()) {
            throw new IllegalArgumentException("prefix length " + bits + " out of range for field " + f.ovsName()
                    + " (0.." + f.widthBits() + ")");
        }
        if (f.is128()) {
            return bits(f, Addresses.ipv6PrefixHigh(bits), Addresses.ipv6PrefixLow(bits));
        }
        long m = bits == 0 ? 0 : (f.valueMask() << (f.widthBits() - bits)) & f.valueMask();
        return bits(f, m);
    }

    /**
     * Sets {@code f}'s mask to {@code mask} (in the field's own bit positions), replacing what the
     * mask had for {@code f}.
     *
     * @throws IllegalArgumentException naming the field if {@code mask} is wider than the field
     */
    public FlowMask bits(FlowField f, long mask) {
        if (f.is128()) {
            throw new IllegalArgumentException("field " + f.ovsName() + " is 128 bits wide; use bits(field, high, low)");
        }
        if ((mask & ~f.valueMask()) != 0) {
            throw new IllegalArgumentException("mask 0x" + Long.toHexString(mask) + " does not fit field "
                    + f.ovsName() + " (" + f.widthBits() + " bits)");
        }
        int w = f.word();
        words[w] = (words[w] & ~f.wordMask()) | (mask << f.shift());
        return this;
    }

    /** Sets a 128-bit field's mask. */
    public FlowMask bits(FlowField f, long high, long low) {
        if (!f.is128()) {
            throw new IllegalArgumentException("field " + f.ovsName() + " is not 128 bits wide");
        }
        words[f.word()] = high;
        words[f.word() + 1] = low;
        return this;
    }

    /** The mask bits of a field of at most 64 bits, in the field's own bit positions. */
    public long get(FlowField f) {
        if (f.is128()) {
            throw new IllegalArgumentException("field " + f.ovsName() + " is 128 bits wide; use getHigh/getLow");
        }
        return (words[f.word()] >>> f.shift()) & f.valueMask();
    }

    public long getHigh(FlowField f) {
        if (!f.is128()) {
            throw new IllegalArgumentException("field " + f.ovsName() + " is not 128 bits wide");
        }
        return words[f.word()];
    }

    public long getLow(FlowField f) {
        if (!f.is128()) {
            throw new IllegalArgumentException("field " + f.ovsName() + " is not 128 bits wide");
        }
        return words[f.word() + 1];
    }

    /** True if every bit of {@code f} is matched. */
    public boolean isExact(FlowField f) {
        if (f.is128()) {
            return words[f.word()] == -1L && words[f.word() + 1] == -1L;
        }
        return (words[f.word()] & f.wordMask()) == f.wordMask();
    }

    /** True if no bit of {@code f} is matched. */
    public boolean isWildcard(FlowField f) {
        if (f.is128()) {
            return words[f.word()] == 0 && words[f.word() + 1] == 0;
        }
        return (words[f.word()] & f.wordMask()) == 0;
    }

    // ---------------------------------------------------------------- whole-mask operations

    /** Wildcards the pipeline words: what is left is a datapath mask (translation's last step). */
    public FlowMask clearPipeline() {
        Arrays.fill(words, FlowKey.PIPELINE_WORD, FlowKey.ALL_WORDS, 0L);
        return this;
    }

    /** Adds every bit {@code other} matches (union of the matched bits). */
    public FlowMask or(FlowMask other) {
        for (int i = 0; i < FlowKey.ALL_WORDS; i++) {
            words[i] |= other.words[i];
        }
        return this;
    }

    /** True if the mask matches nothing: every packet fits it. */
    public boolean isCatchAll() {
        for (int i = 0; i < FlowKey.ALL_WORDS; i++) {
            if (words[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Bit i set when datapath word i has any matched bit: the words a classifier must hash and compare. */
    public long wordMap() {
        long map = 0;
        for (int i = 0; i < FlowKey.DP_WORDS; i++) {
            if (words[i] != 0) {
                map |= 1L << i;
            }
        }
        return map;
    }

    /** Writes {@code key & mask} word by word into {@code out} (at least {@link FlowKey#DP_WORDS} long). */
    public static void apply(FlowKey key, FlowMask mask, long[] out) {
        long[] k = key.words();
        long[] m = mask.words;
        for (int i = 0; i < FlowKey.DP_WORDS; i++) {
            out[i] = k[i] & m[i];
        }
    }

    /** Writes {@code key & mask} into {@code out}'s words (hash left as it was). */
    public static void apply(FlowKey key, FlowMask mask, FlowKey out) {
        apply(key, mask, out.words());
    }

    /** True if {@code key & mask} equals {@code maskedKey} (which must already be masked). */
    public static boolean matches(FlowKey key, FlowMask mask, long[] maskedKey) {
        long[] k = key.words();
        long[] m = mask.words;
        for (int i = 0; i < FlowKey.DP_WORDS; i++) {
            if ((k[i] & m[i]) != maskedKey[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowMask && Arrays.equals(words, ((FlowMask) o).words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FlowMask[");
        for (int i = 0; i < FlowKey.ALL_WORDS; i++) {
            if (words[i] != 0) {
                if (sb.length() > 9) {
                    sb.append(", ");
                }
                sb.append(i).append("=0x").append(Long.toHexString(words[i]));
            }
        }
        return sb.append(']').toString();
    }
}
