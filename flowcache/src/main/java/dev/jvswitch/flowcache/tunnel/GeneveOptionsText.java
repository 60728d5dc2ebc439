package dev.jvswitch.flowcache.tunnel;

import org.agrona.DirectBuffer;

/**
 * Geneve options in OVS's text ({@code format_geneve_opts}):
 * {@code {class=0xffff,type=0x80,len=4,0xa}} for each option, the class and type as C's
 * {@code %#x}, the length in data bytes, the data as one hexadecimal number without its leading
 * zero bytes ({@code 0} when all are zero) and left out when there is none or when its mask is
 * all zero; a partly masked option's data is followed by {@code /MASK}. Printed in {@code tnl_push} headers and in the
 * {@code tunnel(...)} of datapath flows. Slow path only.
 */
public final class GeneveOptionsText {
    private GeneveOptionsText() {
    }

    /**
     * Appends the {@code length} option bytes at {@code at} of {@code value}, with their mask at
     * the same place in {@code mask} (null: exact).
     */
    public static StringBuilder append(StringBuilder sb, DirectBuffer value, DirectBuffer mask, int at, int length) {
        int i = 0;
        while (i + GeneveHeaderFlyweight.OPTION_HEADER_LENGTH <= length) {
            int h = value.getInt(at + i, GeneveHeaderFlyweight.BYTE_ORDER);
            int dataLen = GeneveHeaderFlyweight.optionDataLength(h);
            if (i + GeneveHeaderFlyweight.OPTION_HEADER_LENGTH + dataLen > length) {
                return sb.append("opt len ").append(GeneveHeaderFlyweight.OPTION_HEADER_LENGTH + dataLen)
                        .append(" greater than remaining ").append(length - i);
            }
            sb.append("{class=");
            altHex(sb, GeneveHeaderFlyweight.optionClass(h));
            sb.append(",type=");
            altHex(sb, GeneveHeaderFlyweight.optionType(h));
            sb.append(",len=").append(dataLen);
            int data = at + i + GeneveHeaderFlyweight.OPTION_HEADER_LENGTH;
            // A megaflow that does not look at the data prints none of it, as OVS.
            if (dataLen > 0 && (mask == null || !allZeros(mask, data, dataLen))) {
                sb.append(',');
                hexBytes(sb, value, data, dataLen);
                if (mask != null && !allOnes(mask, data, dataLen)) {
                    sb.append('/');
                    hexBytes(sb, mask, data, dataLen);
                }
            }
            sb.append('}');
            i += GeneveHeaderFlyweight.OPTION_HEADER_LENGTH + dataLen;
        }
        if (i < length) {
            sb.append("opt len ").append(length - i).append(" less than minimum 4");
        }
        return sb;
    }

    /** OVS's {@code ds_put_hex}: the bytes as one number, leading zero bytes left out. */
    public static void hexBytes(StringBuilder sb, DirectBuffer b, int at, int length) {
        boolean printed = false;
        for (int k = 0; k < length; k++) {
            int v = b.getByte(at + k) & 0xff;
            if (printed) {
                sb.append(Character.forDigit(v >>> 4, 16)).append(Character.forDigit(v & 15, 16));
            } else if (v != 0) {
                sb.append("0x").append(Integer.toHexString(v));
                printed = true;
            }
        }
        if (!printed) {
            sb.append('0');
        }
    }

    private static boolean allZeros(DirectBuffer b, int at, int length) {
        for (int k = 0; k < length; k++) {
            if (b.getByte(at + k) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean allOnes(DirectBuffer b, int at, int length) {
        for (int k = 0; k < length; k++) {
            if (b.getByte(at + k) != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }

    private static void altHex(StringBuilder sb, int v) {
        sb.append(v == 0 ? "0" : "0x" + Integer.toHexString(v));
    }
}
