package dev.jvswitch.ofproto.syntax;

import java.math.BigInteger;
import java.util.function.Supplier;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.action.OptionBytes;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.tnl.OptionText;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.ofproto.tnl.TlvMapScope;

/**
 * {@code tun_metadataN} of a Geneve option longer than 4 bytes in the flow text, read and printed
 * through the bridge's {@link TlvMap}, as ovs-ofctl reads them through the switch's map (OVS's
 * variable-length fields): {@code tun_metadata2=0x102030405060708/0xffff0000ffffffff} for an
 * 8-byte option, {@code set_field:0x1020304050607080910->tun_metadata3} for a 12-byte one.
 *
 * <p><b>Layout.</b> The value is the option's data as a big-endian number of its length (a
 * shorter number has leading zero bytes, as {@code parse_int_string}). A match re-lays it into
 * the key's slots ({@link TlvMap#slotsOf}): its last 4 bytes in the field's own 32 bits, the
 * bytes before them in the slots the map gives them, and the field's present bit (the slots past
 * its own have no present bit of their own). A printed match gathers them back. A
 * {@code set_field} keeps the value as a number of up to 128 bits, and the bytes of a longer option
 * (up to OVS's 124) in {@link OptionBytes}; translation lays it out with the map at that time.
 *
 * <p>A 4-byte option's field is a plain 32-bit field; without a map (or with one that does not
 * name the field) nothing here applies.
 *
 * <p><b>Thread-safety:</b> the map in effect is the calling thread's ({@link TlvMapScope}).
 */
final class TunMetadataText {
    private TunMetadataText() {
    }

    /** Runs {@code body} (a parse or a print) with {@code map} as the bridge's TLV map. */
    static <T> T with(TlvMap map, Supplier<T> body) {
        return TlvMapScope.with(map, body);
    }

    /** The map in effect ({@link TlvMap#EMPTY} outside {@link #with}). */
    static TlvMap map() {
        return TlvMapScope.current();
    }

    /** The data length of {@code f}'s option if {@code f} is a {@code tun_metadataN} the map in effect names with more than 4 bytes, else 0. */
    static int longLength(FlowField f) {
        if (!f.isTunnelMetadata()) {
            return 0;
        }
        int len = map().lengthOf(f.tunMetadataIndex());
        return len > TlvMap.SLOT_BYTES ? len : 0;
    }

    /**
     * {@code text}, {@code VALUE[/MASK]}, as {@code length} big-endian bytes of value and of mask
     * (the mask all ones without one).
     *
     * @throws FieldText.Bad if a number does not parse or is longer than {@code length} bytes
     */
    static byte[][] parse(String text, int length) {
        int slash = text.indexOf('/');
        byte[] value = bytes(slash < 0 ? text : text.substring(0, slash), 0, length, SyntaxError.BAD_VALUE);
        byte[] mask;
        if (slash < 0) {
            mask = new byte[length];
            java.util.Arrays.fill(mask, (byte) 0xff);
        } else {
            mask = bytes(text.substring(slash + 1), slash + 1, length, SyntaxError.BAD_MASK);
        }
        for (int i = 0; i < length; i++) {
            value[i] &= mask[i];
        }
        return new byte[][] {value, mask};
    }

    private static byte[] bytes(String t, int offset, int length, SyntaxError error) {
        BigInteger n;
        try {
            n = t.startsWith("0x") || t.startsWith("0X") ? new BigInteger(t.substring(2), 16) : new BigInteger(t);
        } catch (NumberFormatException e) {
            throw new FieldText.Bad(error, offset, t, "a number of at most " + length + " bytes");
        }
        if (n.signum() < 0 || n.bitLength() > length * 8) {
            throw new FieldText.Bad(error == SyntaxError.BAD_MASK ? error : SyntaxError.OUT_OF_RANGE, offset, t,
                    "an option of " + length + " bytes");
        }
        byte[] raw = n.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    /** Adds the match {@code text} on {@code f}, an option of {@link #longLength} bytes, to {@code b} in the key's slots. */
    static void applyMatch(Match.Builder b, FlowField f, String text) {
        TlvMap map = map();
        int index = f.tunMetadataIndex();
        byte[][] vm = parse(text, map.lengthOf(index));
        TlvMapScope.lay(map, index, vm[0], vm[1], (slot, v, m) -> b.set(FlowField.tunMetadata(slot), v & m, m));
        // Only the field's own present bit: replaces what the slots' sets left there.
        long bit = 1L << index;
        b.set(FlowField.TUN_METADATA_PRESENT, bit, bit);
    }

    /** The {@code set_field} of {@code text} into {@code f}, an option of {@code length} (more than 4) bytes. */
    static OfAction.SetField setField(FlowField f, String text, int length) {
        byte[][] vm = parse(text, length);
        if (OptionText.allZero(vm[1])) {
            int slash = text.indexOf('/');
            throw new FieldText.Bad(SyntaxError.BAD_MASK, slash + 1, text.substring(slash + 1), null);
        }
        return OptionBytes.setField(f, vm[0], vm[1]);
    }

    /** True if the {@code set_field} {@code s} into a {@code tun_metadataN} needs this class to print: wider than 32 bits or the map says so. */
    static boolean isLong(OfAction.SetField s) {
        return longLength(s.field()) > 0 || s.wide() != null || s.valueHigh() != 0 || s.maskHigh() != 0 || (s.mask() >>> 32) != 0;
    }

    /** Appends {@code s}'s value (and mask unless it covers the whole option) as OVS prints it. */
    static StringBuilder appendSetValue(StringBuilder sb, OfAction.SetField s) {
        byte[][] vm = OptionBytes.of(s, longLength(s.field()));
        OptionText.appendHex(sb, vm[0]);
        if (!OptionText.allOnes(vm[1])) {
            OptionText.appendHex(sb.append('/'), vm[1]);
        }
        return sb;
    }

    /**
     * Appends {@code tun_metadata<index>=VALUE[/MASK],} for the option of more than 4 bytes the
     * map in effect gives {@code index}, if {@code m} matches any of it or its presence.
     */
    static void appendMatch(StringBuilder sb, Match m, int index) {
        TlvMap map = map();
        byte[] mask = OptionText.gather(map, index, slot -> m.mask(FlowField.tunMetadata(slot)));
        if ((m.value(FlowField.TUN_METADATA_PRESENT) & 1L << index) == 0 && OptionText.allZero(mask)) {
            return;
        }
        OptionText.appendField(sb, "tun_metadata" + index,
                OptionText.gather(map, index, slot -> m.value(FlowField.tunMetadata(slot))), mask);
    }

    /** True if a print through the map in effect leaves slot {@code slot} to the option whose bytes it holds. */
    static boolean isExtensionSlot(int slot) {
        TlvMap map = map();
        return map.size() > 0 && map.isExtensionSlot(slot);
    }
}
