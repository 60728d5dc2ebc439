package dev.jvswitch.ofproto.action;

/**
 * One item of a {@code learn} action (OVS's {@code ofpact_learn_spec}): where the bits come from
 * (a field of the packet being translated, or an immediate value) and where they go in the
 * learned flow (its match, a {@code load} among its actions, or the port of an {@code output}).
 *
 * <p>The forms, as ovs-ofctl writes them:
 * <ul>
 *   <li>{@code field=value} ({@link Kind#MATCH}, immediate): the learned flow matches the value;</li>
 *   <li>{@code dst[..]=src[..]} and {@code field[..]} alone ({@link Kind#MATCH} from a field, the
 *       latter with {@code src == dst}): the learned flow matches the bits the packet has;</li>
 *   <li>{@code load:value->dst[..]} and {@code load:src[..]->dst[..]} ({@link Kind#LOAD});</li>
 *   <li>{@code output:src[..]} ({@link Kind#OUTPUT}, {@code dst} null): an output to the port
 *       number the packet carries in {@code src}.</li>
 * </ul>
 *
 * @param kind      where the bits go
 * @param src       the source bits, or null for an immediate value
 * @param valueHigh the immediate value's bits 64..127 (0 from a field)
 * @param value     the immediate value's bits 0..63, aligned to bit 0 of {@code dst} (0 from a field)
 * @param dst       the destination bits (null for {@link Kind#OUTPUT})
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record LearnSpec(Kind kind, FieldRef src, long valueHigh, long value, FieldRef dst) {
    /** OVS's {@code NX_LEARN_DST_*}. */
    public enum Kind {
        MATCH, LOAD, OUTPUT
    }

    public LearnSpec {
        if (kind == null) {
            throw new IllegalArgumentException("learn spec without a kind");
        }
        if (kind == Kind.OUTPUT) {
            if (src == null || dst != null) {
                throw new IllegalArgumentException("learn output: needs a source field and no destination");
            }
        } else {
            if (dst == null) {
                throw new IllegalArgumentException("learn " + kind + ": no destination");
            }
            if (src != null && src.nBits() != dst.nBits()) {
                throw new IllegalArgumentException("learn: " + src + " is " + src.nBits() + " bits but " + dst
                        + " is " + dst.nBits());
            }
            if (src == null && !fits(valueHigh, value, dst.nBits())) {
                throw new IllegalArgumentException("learn: value does not fit " + dst);
            }
        }
        if (src != null && (value != 0 || valueHigh != 0)) {
            throw new IllegalArgumentException("learn: a spec from a field has no immediate value");
        }
    }

    /** {@code dst=value} (or {@code load:value->dst} for {@link Kind#LOAD}). */
    public static LearnSpec immediate(Kind kind, long valueHigh, long value, FieldRef dst) {
        return new LearnSpec(kind, null, valueHigh, value, dst);
    }

    /** {@code dst=src}, {@code load:src->dst} or {@code output:src} (dst null). */
    public static LearnSpec fromField(Kind kind, FieldRef src, FieldRef dst) {
        return new LearnSpec(kind, src, 0, 0, dst);
    }

    public boolean isImmediate() {
        return src == null;
    }

    /** Number of bits the spec carries. */
    public int nBits() {
        return dst != null ? dst.nBits() : src.nBits();
    }

    private static boolean fits(long high, long low, int nBits) {
        if (nBits >= 128) {
            return true;
        }
        if (nBits > 64) {
            return (high >>> (nBits - 64)) == 0;
        }
        return high == 0 && (nBits == 64 || (low >>> nBits) == 0);
    }
}
