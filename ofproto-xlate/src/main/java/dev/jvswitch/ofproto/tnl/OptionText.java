package dev.jvswitch.ofproto.tnl;

import java.util.function.IntToLongFunction;

/**
 * A {@code tun_metadataN} of a longer option as text: its bytes gathered from the key's slots
 * through a {@link TlvMap}, printed as OVS prints a variable-length field
 * ({@code tun_metadata_match_format}: its {@code ds_put_hex}, then the mask unless all ones).
 * Shared by the flow text ({@code ovs-ofctl}) and trace's flow and megaflow lines.
 *
 * <p>Stateless.
 */
public final class OptionText {
    private OptionText() {
    }

    /**
     * The data of {@code tun_metadata<index>} (mapped by {@code map}) as big-endian bytes, each 4
     * from the slot {@link TlvMap#slotAt} names, read with {@code slot} (slot to its 32 bits).
     */
    public static byte[] gather(TlvMap map, int index, IntToLongFunction slot) {
        byte[] out = new byte[map.lengthOf(index)];
        int n = map.slotCount(index);
        for (int j = 0; j < n; j++) {
            long v = slot.applyAsLong(map.slotAt(index, j));
            for (int i = 0; i < 4 && 4 * j + i < out.length; i++) {
                out[4 * j + i] = (byte) (v >>> (24 - 8 * i));
            }
        }
        return out;
    }

    /** Appends {@code name=VALUE[/MASK],} as OVS prints a variable-length field's match. */
    public static StringBuilder appendField(StringBuilder sb, String name, byte[] value, byte[] mask) {
        appendHex(sb.append(name).append('='), value);
        if (!allOnes(mask)) {
            appendHex(sb.append('/'), mask);
        }
        return sb.append(',');
    }

    /** OVS's {@code ds_put_hex}: {@code 0x} and the bytes without leading zeros, or {@code 0}. */
    public static StringBuilder appendHex(StringBuilder sb, byte[] b) {
        int i = 0;
        while (i < b.length && b[i] == 0) {
            i++;
        }
        if (i == b.length) {
            return sb.append('0');
        }
        sb.append("0x").append(Integer.toHexString(b[i++] & 0xff));
        for (; i < b.length; i++) {
            sb.append(Character.forDigit((b[i] >>> 4) & 0xf, 16)).append(Character.forDigit(b[i] & 0xf, 16));
        }
        return sb;
    }

    /** True if every byte is 0xff. */
    public static boolean allOnes(byte[] b) {
        for (byte x : b) {
            if (x != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }

    /** True if every byte is 0. */
    public static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
