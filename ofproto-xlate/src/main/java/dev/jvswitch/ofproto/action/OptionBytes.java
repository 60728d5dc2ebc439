package dev.jvswitch.ofproto.action;

import java.util.Arrays;

import dev.jvswitch.flowcache.key.FlowField;

/**
 * The value and mask of a {@code set_field} into a {@code tun_metadataN} whose Geneve option is
 * longer than the 128 bits {@link OfAction.SetField} holds in its words (17 to 124 bytes, OVS's
 * limit): big-endian bytes of the option's length, the value with no bits outside the mask.
 *
 * <p>Translation reads it 32 bits at a time from the option's low end ({@link #valueChunk},
 * {@link #maskChunk}), the order in which the bridge's TLV map gives an option its slots; the
 * chunks are laid out here once, so a translation reads them without allocating.
 *
 * <p><b>Thread-safety:</b> immutable; the arrays never leave this class uncopied.
 */
public final class OptionBytes {
    /** Option data OVS allows (a Geneve option's length field counts 4-byte words, at most 31). */
    public static final int MAX_BYTES = 124;
    /** Bytes {@link OfAction.SetField}'s words hold; a longer option's value lives here. */
    public static final int WORD_BYTES = 16;

    private final byte[] value;
    private final byte[] mask;
    private final long[] valueChunks;
    private final long[] maskChunks;

    /**
     * @param value big-endian, as long as the option
     * @param mask  as long as {@code value}, not all zero
     */
    public OptionBytes(byte[] value, byte[] mask) {
        if (value.length != mask.length || value.length == 0 || value.length > MAX_BYTES || value.length % 4 != 0) {
            throw new IllegalArgumentException("option data of " + value.length + " bytes (mask " + mask.length
                    + "): a multiple of 4 up to " + MAX_BYTES);
        }
        this.mask = mask.clone();
        this.value = value.clone();
        for (int i = 0; i < value.length; i++) {
            this.value[i] &= this.mask[i];
        }
        int n = value.length / 4;
        valueChunks = new long[n];
        maskChunks = new long[n];
        for (int k = 0; k < n; k++) {
            valueChunks[k] = int32(this.value, value.length - 4 * (k + 1));
            maskChunks[k] = int32(this.mask, value.length - 4 * (k + 1));
        }
    }

    private static long int32(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
    }

    /**
     * The {@code set_field} of {@code value} under {@code mask} into {@code field}: in the action's
     * words for an option of up to 16 bytes, else with this class holding the bytes (the words
     * then hold the low 128 bits, so what tests them still sees the action's low end).
     */
    public static OfAction.SetField setField(FlowField field, byte[] value, byte[] mask) {
        long[] v = words128(value);
        long[] m = words128(mask);
        OptionBytes wide = value.length > WORD_BYTES ? new OptionBytes(value, mask) : null;
        return new OfAction.SetField(field, v[0], v[1], m[0], m[1], wide);
    }

    /** The low 128 bits of big-endian {@code b} as {high, low}. */
    private static long[] words128(byte[] b) {
        long high = 0;
        long low = 0;
        for (int i = Math.max(0, b.length - WORD_BYTES); i < b.length; i++) {
            high = high << 8 | low >>> 56;
            low = low << 8 | (b[i] & 0xff);
        }
        return new long[] {high, low};
    }

    /**
     * The option bytes {value, mask} {@code s} sets, {@code length} bytes long (the option's length
     * by the bridge's map; 0 for none: then as long as the mask's whole 32-bit words).
     */
    public static byte[][] of(OfAction.SetField s, int length) {
        if (s.wide() != null) {
            return new byte[][] {s.wide().value(), s.wide().mask()};
        }
        if (length == 0) {
            int bits = s.maskHigh() != 0 ? 128 - Long.numberOfLeadingZeros(s.maskHigh()) / 32 * 32
                    : 64 - Long.numberOfLeadingZeros(s.mask()) / 32 * 32;
            length = bits / 8;
        }
        return new byte[][] {bytes128(s.valueHigh(), s.value(), length), bytes128(s.maskHigh(), s.mask(), length)};
    }

    private static byte[] bytes128(long high, long low, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length && i < WORD_BYTES; i++) {
            int bit = 8 * i;
            out[length - 1 - i] = (byte) (bit < 64 ? low >>> bit : high >>> (bit - 64));
        }
        return out;
    }

    /** Bytes of the option. */
    public int length() {
        return value.length;
    }

    /** The value, big-endian (a copy). */
    public byte[] value() {
        return value.clone();
    }

    /** The mask, big-endian (a copy). */
    public byte[] mask() {
        return mask.clone();
    }

    /** Bits {@code [32 * k, 32 * k + 32)} of the value counted from its low end, 0 past the option. */
    public long valueChunk(int k) {
        return k < valueChunks.length ? valueChunks[k] : 0;
    }

    /** Bits {@code [32 * k, 32 * k + 32)} of the mask counted from its low end, 0 past the option. */
    public long maskChunk(int k) {
        return k < maskChunks.length ? maskChunks[k] : 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptionBytes b && Arrays.equals(b.value, value) && Arrays.equals(b.mask, mask);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(value) + Arrays.hashCode(mask);
    }

    @Override
    public String toString() {
        return java.util.HexFormat.of().formatHex(value) + "/" + java.util.HexFormat.of().formatHex(mask);
    }
}
