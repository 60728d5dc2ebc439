package dev.jvswitch.ofproto.match;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.key.FlowPrereq;

/**
 * The match of an OpenFlow rule: a value and a mask over the flow key's words ({@link FlowField}
 * lays them out). A packet's key {@code k} matches when {@code (k & mask) == value} word by word.
 * The value never has bits outside the mask, so two matches that accept the same packets are
 * {@link #equals equal}.
 *
 * <p><b>Prerequisites.</b> {@link Builder#build()} refuses a match that constrains a field whose
 * prerequisite ({@link FlowField#prereq()}) the match itself does not establish with exact
 * {@code eth_type}, {@code nw_proto} (and ICMPv6 type for ND) values: {@code tp_dst} without
 * {@code tcp}, {@code udp} or {@code sctp}; {@code nw_src} without {@code ip} or {@code arp}
 * (ARP's addresses share the bits of {@code nw_src}/{@code nw_dst}, as in OVS). Without this a
 * rule on {@code tp_dst=80} would also match every non-TCP packet whose zeroed port bits happen
 * to agree, which is never what the user meant.
 *
 * <p><b>Representation.</b> A match keeps only the value words its mask touches
 * ({@link #valueAt}), beside its mask, which is a {@link Shape} shared by every match with the
 * same mask: a rule of {@code tcp,nw_src=A/32,nw_dst=B/24,tp_dst=P} holds four value words and a
 * reference, not two arrays of {@value FlowKey#WORDS} words. Shapes are interned process-wide
 * (weakly: a shape no match uses any more can go), so a million rules of a hundred masks hold a
 * hundred masks.
 *
 * <p><b>Thread-safety:</b> immutable; safe to share between any threads once published. The
 * shape interner is synchronised.
 */
public final class Match {
    /** The match that accepts every packet (mask all zero). */
    public static final Match ANY = new Match(Shape.intern(new long[FlowKey.ALL_WORDS]), new long[0]);

    /** For each canonical field, the fields that name its bits: itself first, then its aliases. */
    private static final Map<FlowField, List<FlowField>> SHARERS = new EnumMap<>(FlowField.class);

    static {
        for (FlowField f : FlowField.values()) {
            SHARERS.computeIfAbsent(f.canonical(), c -> new ArrayList<>(List.of(c)));
            if (f.isAlias()) {
                SHARERS.get(f.canonical()).add(f);
            }
        }
    }

    private final Shape shape;
    /** {@code values[j]} is the value of word {@code shape.words[j]} (already masked). */
    private final long[] values;
    private final int hashCode;

    private Match(Shape shape, long[] values) {
        this.shape = shape;
        this.values = values;
        this.hashCode = 31 * Arrays.hashCode(values) + shape.hash;
    }

    /** The match of full-width words {@code value} under {@code mask} (both trusted: not kept, not checked). */
    private static Match of(long[] value, long[] mask) {
        Shape shape = Shape.intern(mask);
        int[] words = shape.words;
        long[] v = new long[words.length];
        for (int j = 0; j < words.length; j++) {
            v[j] = value[words[j]] & mask[words[j]];
        }
        return new Match(shape, v);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The match with these value and mask words (copied; value bits outside the mask dropped),
     * without checking prerequisites: for parsers that check per token and classifiers that
     * rebuild a match from words.
     */
    public static Match ofWords(long[] valueWords, long[] maskWords) {
        if (valueWords.length != FlowKey.ALL_WORDS || maskWords.length != FlowKey.ALL_WORDS) {
            throw new IllegalArgumentException("a match has " + FlowKey.ALL_WORDS + " value and mask words");
        }
        return of(valueWords, maskWords);
    }

    /** A builder holding this match's value and mask, to derive another match from it. */
    public Builder toBuilder() {
        Builder b = new Builder();
        int[] words = shape.words;
        for (int j = 0; j < words.length; j++) {
            b.value[words[j]] = values[j];
        }
        System.arraycopy(shape.mask, 0, b.mask, 0, FlowKey.ALL_WORDS);
        return b;
    }

    // ---------------------------------------------------------------- matching

    /** True if {@code key} is accepted: {@code key & mask == value} in every word. */
    public boolean matches(FlowKey key) {
        long[] k = key.words();
        int[] words = shape.words;
        long[] mask = shape.mask;
        for (int j = 0; j < words.length; j++) {
            int w = words[j];
            if ((k[w] & mask[w]) != values[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * True if every packet this match accepts is also accepted by {@code criteria}: this match
     * tests at least the bits {@code criteria} tests, with the same values there. This is the
     * non-strict selection of OpenFlow's modify and delete (OVS's {@code cls_rule_is_loose_match}).
     */
    public boolean isSubsetOf(Match criteria) {
        int[] words = criteria.shape.words;
        long[] cm = criteria.shape.mask;
        for (int j = 0; j < words.length; j++) {
            int w = words[j];
            long m = cm[w];
            if ((shape.mask[w] & m) != m || (valueWord(w) & m) != criteria.values[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * True if some packet is accepted by both this match and {@code other}: wherever both test a
     * bit they want the same value (OVS's {@code cls_rule_overlaps} for rules of one priority).
     */
    public boolean overlaps(Match other) {
        int[] words = shape.words;
        for (int j = 0; j < words.length; j++) {
            int w = words[j];
            if (((values[j] ^ other.valueWord(w)) & shape.mask[w] & other.shape.mask[w]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** True if the match accepts every packet. */
    public boolean isCatchAll() {
        return shape.words.length == 0;
    }

    // ---------------------------------------------------------------- words

    /** Word {@code i} of the (already masked) value. */
    public long valueWord(int i) {
        int j = shape.index[i];
        return j < 0 ? 0 : values[j];
    }

    /** Word {@code i} of the mask. */
    public long maskWord(int i) {
        return shape.mask[i];
    }

    /** The mask, shared by every match with this mask. */
    public Shape shape() {
        return shape;
    }

    /**
     * The value of the {@code j}-th word the mask touches (key word {@code shape().word(j)}): the
     * compact form classifiers hash and compare without going through all
     * {@value FlowKey#WORDS} words.
     */
    public long valueAt(int j) {
        return values[j];
    }

    /** A fresh key holding the value (fields the match ignores are zero). */
    public FlowKey value() {
        FlowKey k = new FlowKey();
        long[] w = k.words();
        int[] words = shape.words;
        for (int j = 0; j < words.length; j++) {
            w[words[j]] = values[j];
        }
        return k;
    }

    /** A fresh copy of the mask. */
    public FlowMask mask() {
        return maskInto(new FlowMask());
    }

    /** Copies the mask into {@code out} (replacing its words) and returns {@code out}. */
    public FlowMask maskInto(FlowMask out) {
        System.arraycopy(shape.mask, 0, out.words(), 0, FlowKey.ALL_WORDS);
        return out;
    }

    /** Adds the mask's bits to {@code out} (union), as a lookup does when it records wildcards. */
    public void orMaskInto(FlowMask out) {
        long[] o = out.words();
        for (int w : shape.words) {
            o[w] |= shape.mask[w];
        }
    }

    // ---------------------------------------------------------------- fields

    /** The value of a field of at most 64 bits (0 where masked out). */
    public long value(FlowField f) {
        return (valueWord(word64(f)) >>> f.shift()) & f.valueMask();
    }

    /** The mask of a field of at most 64 bits. */
    public long mask(FlowField f) {
        return (shape.mask[word64(f)] >>> f.shift()) & f.valueMask();
    }

    public long valueHigh(FlowField f) {
        return valueWord(word128(f));
    }

    public long valueLow(FlowField f) {
        return valueWord(word128(f) + 1);
    }

    public long maskHigh(FlowField f) {
        return shape.mask[word128(f)];
    }

    public long maskLow(FlowField f) {
        return shape.mask[word128(f) + 1];
    }

    /** True if the match ignores every bit of {@code f}. */
    public boolean isWildcard(FlowField f) {
        long[] mask = shape.mask;
        if (f.is128()) {
            return mask[f.word()] == 0 && mask[f.word() + 1] == 0;
        }
        return (mask[f.word()] & f.wordMask()) == 0;
    }

    /** True if the match tests every bit of {@code f}. */
    public boolean isExact(FlowField f) {
        long[] mask = shape.mask;
        if (f.is128()) {
            return mask[f.word()] == -1L && mask[f.word() + 1] == -1L;
        }
        return (mask[f.word()] & f.wordMask()) == f.wordMask();
    }

    // ---------------------------------------------------------------- prerequisites

    /**
     * True if the match establishes {@code prereq}: the {@code eth_type} (and where needed
     * {@code nw_proto} and ICMPv6 type) it requires are matched exactly with suitable values.
     */
    public boolean establishes(FlowPrereq prereq) {
        return establishes(prereq, null);
    }

    /** {@link #establishes(FlowPrereq)} with {@code valueKey} the value as a key, made on first need if null. */
    private boolean establishes(FlowPrereq prereq, FlowKey valueKey) {
        if (prereq == FlowPrereq.NONE) {
            return true;
        }
        if (prereq == FlowPrereq.CT) {
            return ctValid();
        }
        if (!isExact(FlowField.ETH_TYPE)) {
            return false;
        }
        switch (prereq) {
            case ARP:
            case IPV4:
            case IPV6:
            case IP_ANY:
                break;
            case ND:
            case ND_SOLICIT:
            case ND_ADVERT:
                if (!isExact(FlowField.ICMPV6_TYPE) || !isExact(FlowField.NW_PROTO)) {
                    return false;
                }
                break;
            default:
                if (!isExact(FlowField.NW_PROTO)) {
                    return false;
                }
        }
        return prereq.isMet(valueKey != null ? valueKey : value());
    }

    /**
     * OVS's {@code is_ct_valid} for a match: it requires one of the states that imply a valid
     * connection ({@code +new}, {@code +est}, {@code +rel}, {@code +rpl}, {@code +snat},
     * {@code +dnat}), or {@code +trk-inv}.
     */
    private boolean ctValid() {
        long v = value(FlowField.CT_STATE);
        long m = mask(FlowField.CT_STATE);
        return (v & m & 0xcf) != 0 || ((v & m & 0x20) != 0 && (m & 0x10) != 0 && (v & 0x10) == 0);
    }

    /**
     * True if the bits of {@code f} this match tests are meaningful: {@code f}'s prerequisite, or
     * that of a field sharing those bits ({@code arp_spa} for {@code nw_src}), is established.
     * A field the match ignores is always fine.
     */
    public boolean prerequisitesMet(FlowField f) {
        return prerequisitesMet(f, null);
    }

    /**
     * {@link #prerequisitesMet(FlowField)} for a caller that asks about several fields and made
     * {@code valueKey} = {@link #value()} once (null: made here if needed).
     */
    public boolean prerequisitesMet(FlowField f, FlowKey valueKey) {
        if (f.is128()) {
            return isWildcard(f) || establishes(f.prereq(), valueKey);
        }
        long tested = shape.mask[f.word()] & f.wordMask();
        if (tested == 0) {
            return true;
        }
        for (FlowField g : SHARERS.get(f.canonical())) {
            if ((tested & ~g.wordMask()) == 0 && establishes(g.prereq(), valueKey)) {
                return true;
            }
        }
        return false;
    }

    /** Throws {@link PrerequisiteException} naming the first field whose prerequisite is missing. */
    public void checkPrerequisites() {
        if (isCatchAll()) {
            return;
        }
        FlowKey v = value();
        for (FlowField f : FlowField.values()) {
            if (!f.isAlias() && !prerequisitesMet(f, v)) {
                throw new PrerequisiteException(f);
            }
        }
    }

    private static int word64(FlowField f) {
        if (f.is128()) {
            throw new IllegalArgumentException("field " + f.ovsName() + " is 128 bits wide; use the High/Low accessors");
        }
        return f.word();
    }

    private static int word128(FlowField f) {
        if (!f.is128()) {
            throw new IllegalArgumentException("field " + f.ovsName() + " is not 128 bits wide");
        }
        return f.word();
    }

    // ---------------------------------------------------------------- object

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Match)) {
            return false;
        }
        Match m = (Match) o;
        return hashCode == m.hashCode && (shape == m.shape || shape.equals(m.shape)) && Arrays.equals(values, m.values);
    }

    @Override
    public int hashCode() {
        return hashCode;
    }

    /**
     * Every tested canonical field as {@code name=value[/mask]} in field-table order (a debugging
     * form; the ovs-ofctl form is {@code dev.jvswitch.ofproto.syntax.FlowSyntax}).
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Match[");
        boolean first = true;
        for (FlowField f : FlowField.values()) {
            if (f.isAlias() || isWildcard(f)) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(f.ovsName()).append('=');
            if (f.is128()) {
                f.format().append(sb, valueHigh(f), valueLow(f));
                if (!isExact(f)) {
                    sb.append('/');
                    f.format().append(sb, maskHigh(f), maskLow(f));
                }
            } else {
                sb.append("0x").append(Long.toHexString(value(f)));
                if (!isExact(f)) {
                    sb.append("/0x").append(Long.toHexString(mask(f)));
                }
            }
        }
        return sb.append(']').toString();
    }

    // ---------------------------------------------------------------- shape

    /**
     * The mask of a match, shared by every match with that mask: the {@value FlowKey#WORDS} mask
     * words, the words it touches ({@link #word(int)}, pipeline words first) and, for each key word, its
     * position among them. Made only by {@link #intern}, so that two matches with equal masks
     * normally hold the same instance (compare with {@link #equals} all the same: a shape is
     * interned weakly and identity is only an optimisation).
     *
     * <p><b>Thread-safety:</b> immutable. The interner is a synchronised weak map: shapes are made
     * on the control side (parsing, table edits), never per packet.
     */
    public static final class Shape {
        private static final Map<Shape, WeakReference<Shape>> INTERNED = new WeakHashMap<>();
        /**
         * The shape interned last: rules come in runs of one mask, so most calls end here without
         * the lock. Any shape stored is interned (and stays so while this field holds it).
         */
        private static volatile Shape last;

        /**
         * The key words in the order a shape lists them: the pipeline words (registers,
         * metadata) first, then the datapath words, so that a classifier's first stage holds them
         * as OVS's metadata stage does.
         */
        private static final int[] LOOKUP_ORDER = new int[FlowKey.ALL_WORDS];
        /** For each key word, its position in {@link #LOOKUP_ORDER}. */
        private static final int[] RANK = new int[FlowKey.ALL_WORDS];

        static {
            int n = 0;
            for (int w = FlowKey.PIPELINE_WORD; w < FlowKey.ALL_WORDS; w++) {
                LOOKUP_ORDER[n++] = w;
            }
            // OVS's struct flow puts ct_state, ct_zone, ct_mark and ct_label among the metadata,
            // the original tuple's addresses with L3 and its ports with L4: the stages follow.
            int ctMeta = FlowField.CT_STATE.word();
            int ctLabel = FlowField.CT_LABEL.word();
            int ctNw = FlowField.CT_NW_SRC.word();
            int ctTp = FlowField.CT_TP_SRC.word();
            int ct6 = FlowField.CT_IPV6_SRC.word();
            // Tunnel metadata (tun_metadataN) is metadata too, after the other tunnel fields.
            int[] datapath = {0, 1, 2, 3, 4, ctMeta, ctLabel, ctLabel + 1, 5, 6, 7, 8, 9, 10, 11, 12, 13, ctNw, ct6,
                ct6 + 1, ct6 + 2, ct6 + 3, 14, 15, 16, 17, 18, ctTp, 19, 20, 21, 22};
            if (datapath.length != FlowKey.WORDS) {
                throw new ExceptionInInitializerError("lookup order lists " + datapath.length + " datapath words");
            }
            for (int i = 0; i < datapath.length; i++) {
                LOOKUP_ORDER[n++] = datapath[i];
                if (i == 4) {
                    for (int w = FlowKey.TUN_METADATA_WORD; w < FlowKey.PIPELINE_WORD; w++) {
                        LOOKUP_ORDER[n++] = w;
                    }
                }
            }
            for (int r = 0; r < LOOKUP_ORDER.length; r++) {
                RANK[LOOKUP_ORDER[r]] = r;
            }
        }

        /** The position of key word {@code word} in lookup order (a classifier's stages follow it). */
        public static int rank(int word) {
            return RANK[word];
        }

        private final long[] mask;
        private final int[] words;
        /** For each key word, its index in {@link #words}, or -1. */
        private final byte[] index;
        private final int hash;

        private Shape(long[] mask, int hash) {
            this.mask = mask;
            this.hash = hash;
            int n = 0;
            for (long w : mask) {
                n += w != 0 ? 1 : 0;
            }
            this.words = new int[n];
            this.index = new byte[FlowKey.ALL_WORDS];
            n = 0;
            for (int r = 0; r < FlowKey.ALL_WORDS; r++) {
                int i = LOOKUP_ORDER[r];
                if (mask[i] != 0) {
                    index[i] = (byte) n;
                    words[n++] = i;
                } else {
                    index[i] = -1;
                }
            }
        }

        /** The shared shape of {@code mask} ({@value FlowKey#WORDS} words, not kept). */
        static Shape intern(long[] mask) {
            int hash = Arrays.hashCode(mask);
            Shape recent = last;
            if (recent != null && recent.hash == hash && Arrays.equals(recent.mask, mask)) {
                return recent;
            }
            synchronized (INTERNED) {
                Shape probe = new Shape(mask.clone(), hash);
                WeakReference<Shape> ref = INTERNED.get(probe);
                Shape s = ref == null ? null : ref.get();
                if (s == null) {
                    INTERNED.put(probe, new WeakReference<>(probe));
                    s = probe;
                }
                last = s;
                return s;
            }
        }

        /** How many key words the mask touches. */
        public int wordCount() {
            return words.length;
        }

        /**
         * The key word index of the {@code j}-th word the mask touches: the pipeline words first,
         * then the datapath words, each run ascending.
         */
        public int word(int j) {
            return words[j];
        }

        /** Mask word {@code i} of the key. */
        public long maskWord(int i) {
            return mask[i];
        }

        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof Shape s && hash == s.hash && Arrays.equals(mask, s.mask);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "Shape" + Arrays.toString(words);
        }
    }

    // ---------------------------------------------------------------- builder

    /** Collects field values and masks; {@link #build()} checks prerequisites. Not thread-safe. */
    public static final class Builder {
        private static final int PRESENT_WORD = FlowField.TUN_METADATA_PRESENT.word();
        private final long[] value = new long[FlowKey.ALL_WORDS];
        private final long[] mask = new long[FlowKey.ALL_WORDS];

        private Builder() {
        }

        /** Matches {@code f} exactly (a field of at most 64 bits). */
        public Builder set(FlowField f, long v) {
            return set(f, v, f.valueMask());
        }

        /**
         * Matches the bits of {@code f} set in {@code m} against {@code v}; replaces what the builder
         * had for {@code f}'s bits. Value bits outside the mask are dropped.
         *
         * @throws IllegalArgumentException naming the field if value or mask is wider than it
         */
        public Builder set(FlowField f, long v, long m) {
            int w = word64(f);
            if ((v & ~f.valueMask()) != 0 || (m & ~f.valueMask()) != 0) {
                throw new IllegalArgumentException("value or mask does not fit field " + f.ovsName() + " ("
                        + f.widthBits() + " bits)");
            }
            mask[w] = (mask[w] & ~f.wordMask()) | (m << f.shift());
            value[w] = (value[w] & ~f.wordMask()) | ((v & m) << f.shift());
            if (f.isTunnelMetadata()) {
                present(f);
            }
            return this;
        }

        /** A rule on {@code tun_metadataN} matches only packets with option N (OVS's present map). */
        private void present(FlowField f) {
            long bit = (mask[f.word()] & f.wordMask()) != 0 ? 1L << f.tunMetadataIndex() : 0;
            long keep = ~(1L << f.tunMetadataIndex());
            mask[PRESENT_WORD] = mask[PRESENT_WORD] & keep | bit;
            value[PRESENT_WORD] = value[PRESENT_WORD] & keep | bit;
        }

        /** Matches a 128-bit field exactly. */
        public Builder set128(FlowField f, long high, long low) {
            return set128(f, high, low, -1L, -1L);
        }

        /** Matches a 128-bit field under a mask. */
        public Builder set128(FlowField f, long high, long low, long maskHigh, long maskLow) {
            int w = word128(f);
            mask[w] = maskHigh;
            mask[w + 1] = maskLow;
            value[w] = high & maskHigh;
            value[w + 1] = low & maskLow;
            return this;
        }

        /**
         * Matches bits {@code start..start+nBits-1} of {@code f} (bit 0 the field's least
         * significant) against the low {@code nBits} of {@code high:low}, keeping what the
         * builder has for the field's other bits: a learned flow's {@code reg0[0..7]=...}.
         */
        public Builder setBits(FlowField f, int start, int nBits, long high, long low) {
            for (int i = 0; i < nBits; i++) {
                int bit = start + i;
                long v = i < 64 ? (low >>> i) & 1L : (high >>> (i - 64)) & 1L;
                int w = f.is128() ? word128(f) + (bit < 64 ? 1 : 0) : word64(f);
                long m = 1L << (f.is128() ? bit & 63 : f.shift() + bit);
                mask[w] |= m;
                value[w] = v != 0 ? value[w] | m : value[w] & ~m;
            }
            if (f.isTunnelMetadata() && nBits > 0) {
                present(f);
            }
            return this;
        }

        /** Stops matching {@code f}. */
        public Builder wildcard(FlowField f) {
            if (f.is128()) {
                return set128(f, 0, 0, 0, 0);
            }
            return set(f, 0, 0);
        }

        /** Forgets every field: the builder is as new (a parser reuses one per item). */
        public Builder clear() {
            Arrays.fill(value, 0);
            Arrays.fill(mask, 0);
            return this;
        }

        /** Word {@code i} of the value so far. */
        public long valueWord(int i) {
            return value[i];
        }

        /** Word {@code i} of the mask so far. */
        public long maskWord(int i) {
            return mask[i];
        }

        /** True if the builder tests any bit of {@code f} so far. */
        public boolean isSet(FlowField f) {
            if (f.is128()) {
                return mask[f.word()] != 0 || mask[f.word() + 1] != 0;
            }
            return (mask[f.word()] & f.wordMask()) != 0;
        }

        /** The match without checking prerequisites (for callers that check per token). */
        public Match buildUnchecked() {
            return of(value, mask);
        }

        /**
         * The match.
         *
         * @throws PrerequisiteException naming the first field whose prerequisite is missing
         */
        public Match build() {
            Match m = buildUnchecked();
            m.checkPrerequisites();
            return m;
        }
    }
}
