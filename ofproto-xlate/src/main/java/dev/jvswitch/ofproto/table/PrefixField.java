package dev.jvswitch.ofproto.table;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowPrereq;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.match.PrefixFields;

/**
 * Where a prefix-tracked field sits in the words of a key or mask, and the bit work a prefix trie
 * needs on it: the field as a left-aligned 128-bit value ({@link PrefixTrie}'s form), the CIDR
 * length of a mask on it, and setting or testing its first n bits in a mask.
 *
 * <p>Which fields may be prefix-tracked is the table's business ({@link #of}): fields of 32, 64
 * or 128 bits that stand alone in a key, as OVS's {@code mf_field.flow_be32ofs} marks them.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
final class PrefixField {
    private static final int ETH_TYPE_WORD = FlowField.ETH_TYPE.word();
    private static final int ETH_TYPE_SHIFT = FlowField.ETH_TYPE.shift();

    final FlowField field;
    private final int word;
    private final int shift;
    private final int width;
    /** Index of the lookup stage (in {@link Subtable}'s stage table) that holds the field. */
    final int stage;
    /** Ethernet type the field needs, or -1 if none. */
    private final int ethType;

    private PrefixField(FlowField field, int stage) {
        this.field = field;
        this.word = field.word();
        this.shift = field.is128() ? 0 : field.shift();
        this.width = field.widthBits();
        this.stage = stage;
        FlowPrereq p = field.prereq();
        this.ethType = p == FlowPrereq.IPV4 ? FlowKey.ETH_TYPE_IPV4 : p == FlowPrereq.IPV6 ? FlowKey.ETH_TYPE_IPV6 : -1;
    }

    /**
     * The prefix form of {@code f}.
     *
     * @throws IllegalArgumentException if {@code f} cannot be prefix-tracked
     */
    static PrefixField of(FlowField f) {
        if (!PrefixFields.isTrackable(f)) {
            throw new IllegalArgumentException(f.ovsName() + " cannot be prefix-tracked");
        }
        return new PrefixField(f, Subtable.stageOf(f.word()));
    }

    /** Bits of the value. */
    int width() {
        return width;
    }

    /** Whether {@code key} has the header this field belongs to (OVS's {@code mf_are_prereqs_ok}). */
    boolean prereqMet(long[] key) {
        return ethType < 0 || ((key[ETH_TYPE_WORD] >>> ETH_TYPE_SHIFT) & 0xffff) == ethType;
    }

    /** The field's bits of {@code words}, left-aligned in the high word. */
    long hi(long[] words) {
        return hiOf(words[word]);
    }

    /** The rest of a 128-bit field's bits; 0 for narrower fields. */
    long lo(long[] words) {
        return width == 128 ? words[word + 1] : 0;
    }

    private long hiOf(long w) {
        return width == 128 ? w : (w >>> shift) << (64 - width);
    }

    /** The field's bits of {@code m}'s value, left-aligned in the high word. */
    long valueHi(Match m) {
        return hiOf(m.valueWord(word));
    }

    long valueLo(Match m) {
        return width == 128 ? m.valueWord(word + 1) : 0;
    }

    /** The length of {@code mask}'s prefix on this field, or 0 if it has none or is not a prefix. */
    int prefixLen(long[] mask) {
        return prefixLen(hi(mask), lo(mask));
    }

    /** The length of {@code m}'s mask on this field as a prefix, or 0. */
    int prefixLen(Match m) {
        return prefixLen(hiOf(m.maskWord(word)), width == 128 ? m.maskWord(word + 1) : 0);
    }

    private static int prefixLen(long mh, long ml) {
        int n = mh == -1L ? 64 + Long.numberOfLeadingZeros(~ml) : Long.numberOfLeadingZeros(~mh);
        return mh == PrefixTrie.maskHi(n) && ml == PrefixTrie.maskLo(n) ? n : 0;
    }

    /** Sets the field's first {@code n} bits in {@code wc}. */
    void setPrefix(long[] wc, int n) {
        if (width == 128) {
            wc[word] |= PrefixTrie.maskHi(n);
            wc[word + 1] |= PrefixTrie.maskLo(n);
        } else {
            wc[word] |= (PrefixTrie.maskHi(n) >>> (64 - width)) << shift;
        }
    }

    /** Whether the field's first {@code n} bits are all set in {@code wc}. */
    boolean prefixSet(long[] wc, int n) {
        long mh = PrefixTrie.maskHi(n);
        long ml = PrefixTrie.maskLo(n);
        return (hi(wc) & mh) == mh && (lo(wc) & ml) == ml;
    }

    @Override
    public String toString() {
        return field.ovsName();
    }
}
