package dev.jvswitch.ofproto.action;

import dev.jvswitch.flowcache.key.FlowField;

/**
 * A run of bits of one flow field, as {@code load} and {@code move} name it:
 * {@code nw_dst[0..7]} is bits 0 to 7 (least significant first) of {@code nw_dst}, {@code nw_dst[]}
 * the whole field. For a 128-bit field bit 0 is the least significant bit of the low word.
 *
 * @param field   the field (an alias names its own bits, e.g. {@code icmp_type})
 * @param start   lowest bit, 0-based
 * @param nBits   number of bits, at least 1
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record FieldRef(FlowField field, int start, int nBits) {
    public FieldRef {
        if (field == null) {
            throw new IllegalArgumentException("field reference without a field");
        }
        if (start < 0 || nBits < 1 || start + nBits > field.widthBits()) {
            throw new IllegalArgumentException(field.ovsName() + "[" + start + ".." + (start + nBits - 1)
                    + "] is outside the field's " + field.widthBits() + " bits");
        }
    }

    /** The whole field: {@code field[]}. */
    public static FieldRef whole(FlowField field) {
        return new FieldRef(field, 0, field.widthBits());
    }

    /** Bits {@code start..end}, both inclusive, as written in {@code field[start..end]}. */
    public static FieldRef range(FlowField field, int start, int end) {
        return new FieldRef(field, start, end - start + 1);
    }

    /** Highest bit, inclusive. */
    public int end() {
        return start + nBits - 1;
    }

    public boolean isWhole() {
        return start == 0 && nBits == field.widthBits();
    }

    /** {@code name[]}, {@code name[i]} or {@code name[start..end]}, as OVS writes a subfield. */
    @Override
    public String toString() {
        if (isWhole()) {
            return field.ovsName() + "[]";
        }
        if (nBits == 1) {
            return field.ovsName() + "[" + start + "]";
        }
        return field.ovsName() + "[" + start + ".." + end() + "]";
    }
}
