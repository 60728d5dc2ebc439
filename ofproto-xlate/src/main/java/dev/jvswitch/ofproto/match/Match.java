package dev.jvswitch.ofproto.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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
 * <p><b>Thread-safety:</b> immutable; safe to share between any threads once published.
 */
public final class Match {
    /** The match that accepts every packet (mask all zero). */
    public static final Match ANY = new Match(new long[FlowKey.ALL_WORDS], new long[FlowKey.ALL_WORDS]);

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

    private final long[] value;
    private final long[] mask;
    private final int hashCode;

    private Match(long[] value, long[] mask) {
        this.value = value;
        this.mask = mask;
        this.hashCode = 31 * Arrays.hashCode(value) + Arrays.hashCode(mask);
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
        long[] v = new long[FlowKey.ALL_WORDS];
        long[] m = maskWords.clone();
        for (int i = 0; i < FlowKey.ALL_WORDS; i++) {
            v[i] = valueWords[i] & m[i];
        }
        return new Match(v, m);
    }

    /** A builder holding this match's value and mask, to derive another match from it. */
    public Builder toBuilder() {
        Builder b = new Builder();
        System.arraycopy(value, 0, b.value, 0, FlowKey.ALL_WORDS);
        System.arraycopy(mask, 0, b.mask, 0, FlowKey.ALL_WORDS);
        return b;
    }

    // ---------------------------------------------------------------- matching

    /** True if {@code key} is accepted: {@code key & mask == value} in every word. */
    public boolean matches(FlowKey key) {
        long[] k = key.words();
        for (int i = 0; i < FlowKey.ALL_WORDS; i++) {
            if ((k[i] & mask[i]) != value[i]) {
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
        for (int i = 0; i < FlowKey.ALL_WORDS; i++) {
            long m = criteria.mask[i];
            if ((mask[i] & m) != m || (value[i] & m) != criteria.value[i]) {
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
        for (int i = 0; i < FlowKey.ALL_WORDS; i++) {
            if (((value[i] ^ other.value[i]) & mask[i] & other.mask[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** True if the match accepts every packet. */
    public boolean isCatchAll() {
        for (int i = 0; i < FlowKey.ALL_WORDS; i++) {
            if (mask[i] != 0) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- words

    /** Word {@code i} of the (already masked) value. */
    public long valueWord(int i) {
        return value[i];
    }

    /** Word {@code i} of the mask. */
    public long maskWord(int i) {
        return mask[i];
    }

    /** A fresh key holding the value (fields the match ignores are zero). */
    public FlowKey value() {
        FlowKey k = new FlowKey();
        System.arraycopy(value, 0, k.words(), 0, FlowKey.ALL_WORDS);
        return k;
    }

    /** A fresh copy of the mask. */
    public FlowMask mask() {
        return maskInto(new FlowMask());
    }

    /** Copies the mask into {@code out} (replacing its words) and returns {@code out}. */
    public FlowMask maskInto(FlowMask out) {
        System.arraycopy(mask, 0, out.words(), 0, FlowKey.ALL_WORDS);
        return out;
    }

    /** Adds the mask's bits to {@code out} (union), as a lookup does when it records wildcards. */
    public void orMaskInto(FlowMask out) {
        long[] o = out.words();
        for (int i = 0; i < FlowKey.ALL_WORDS; i++) {
            o[i] |= mask[i];
        }
    }

    // ---------------------------------------------------------------- fields

    /** The value of a field of at most 64 bits (0 where masked out). */
    public long value(FlowField f) {
        return (value[word64(f)] >>> f.shift()) & f.valueMask();
    }

    /** The mask of a field of at most 64 bits. */
    public long mask(FlowField f) {
        return (mask[word64(f)] >>> f.shift()) & f.valueMask();
    }

    public long valueHigh(FlowField f) {
        return value[word128(f)];
    }

    public long valueLow(FlowField f) {
        return value[word128(f) + 1];
    }

    public long maskHigh(FlowField f) {
        return mask[word128(f)];
    }

    public long maskLow(FlowField f) {
        return mask[word128(f) + 1];
    }

    /** True if the match ignores every bit of {@code f}. */
    public boolean isWildcard(FlowField f) {
        if (f.is128()) {
            return mask[f.word()] == 0 && mask[f.word() + 1] == 0;
        }
        return (mask[f.word()] & f.wordMask()) == 0;
    }

    /** True if the match tests every bit of {@code f}. */
    public boolean isExact(FlowField f) {
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
        if (prereq == FlowPrereq.NONE) {
            return true;
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
        return prereq.isMet(value());
    }

    /**
     * True if the bits of {@code f} this match tests are meaningful: {@code f}'s prerequisite, or
     * that of a field sharing those bits ({@code arp_spa} for {@code nw_src}), is established.
     * A field the match ignores is always fine.
     */
    public boolean prerequisitesMet(FlowField f) {
        if (f.is128()) {
            return isWildcard(f) || establishes(f.prereq());
        }
        long tested = mask[f.word()] & f.wordMask();
        if (tested == 0) {
            return true;
        }
        for (FlowField g : SHARERS.get(f.canonical())) {
            if ((tested & ~g.wordMask()) == 0 && establishes(g.prereq())) {
                return true;
            }
        }
        return false;
    }

    /** Throws {@link PrerequisiteException} naming the first field whose prerequisite is missing. */
    public void checkPrerequisites() {
        for (FlowField f : FlowField.values()) {
            if (!f.isAlias() && !prerequisitesMet(f)) {
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
        return hashCode == m.hashCode && Arrays.equals(value, m.value) && Arrays.equals(mask, m.mask);
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

    // ---------------------------------------------------------------- builder

    /** Collects field values and masks; {@link #build()} checks prerequisites. Not thread-safe. */
    public static final class Builder {
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
            return this;
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

        /** Stops matching {@code f}. */
        public Builder wildcard(FlowField f) {
            if (f.is128()) {
                return set128(f, 0, 0, 0, 0);
            }
            return set(f, 0, 0);
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
            return new Match(value.clone(), mask.clone());
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
