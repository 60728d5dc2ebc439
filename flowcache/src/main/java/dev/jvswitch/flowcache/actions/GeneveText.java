package dev.jvswitch.flowcache.actions;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.flowcache.tunnel.GeneveHeaderFlyweight;
import dev.jvswitch.flowcache.tunnel.GeneveOptionsText;

/**
 * The {@code geneve(...)} part of a {@code tnl_push} header in OVS's text:
 * {@code geneve(oam,crit,vni=0x7b,options({class=0xffff,type=0x80,len=4,0xa}))}, the flags only
 * when set, {@code options(...)} only when there are options; an option's data is printed as one
 * hexadecimal number without its leading zero bytes ({@code 0} when all are zero), its length in
 * bytes. Slow path only.
 */
final class GeneveText {
    private GeneveText() {
    }

    /** Appends {@code geneve(...)} for the Geneve header at {@code at} in {@code b}. */
    static void format(StringBuilder sb, UnsafeBuffer b, int at) {
        int first = GeneveHeaderFlyweight.firstWord(b, at);
        sb.append("geneve(");
        if (GeneveHeaderFlyweight.oam(first)) {
            sb.append("oam,");
        }
        if (GeneveHeaderFlyweight.critical(first)) {
            sb.append("crit,");
        }
        sb.append("vni=");
        InetText.hex(sb, b.getInt(at + GeneveHeaderFlyweight.VNI_OFFSET, GeneveHeaderFlyweight.BYTE_ORDER) >>> 8);
        int optLen = GeneveHeaderFlyweight.optionsLength(first);
        if (optLen > 0) {
            sb.append(",options(");
            GeneveOptionsText.append(sb, b, null, at + GeneveHeaderFlyweight.OPTIONS_OFFSET, optLen);
            sb.append(')');
        }
        sb.append(')');
    }

    /**
     * Reads {@code geneve(...)} (the cursor is at {@code geneve(}) into {@code h} at {@code at}
     * and returns the Geneve header's length (8 plus the options).
     */
    static int parse(TextCursor in, byte[] h, int at) {
        in.expect("geneve(");
        boolean oam = in.tryConsume("oam,");
        boolean crit = in.tryConsume("crit,");
        in.expect("vni=");
        int vni = (int) in.unsigned("geneve vni", GeneveHeaderFlyweight.MAX_VNI);
        UnsafeBuffer b = new UnsafeBuffer(h);
        int opts = at + GeneveHeaderFlyweight.OPTIONS_OFFSET;
        int optLen = 0;
        if (in.tryConsume(",options(")) {
            while (in.tryConsume("{")) {
                in.expect("class=");
                int cls = (int) in.unsigned("geneve option class", 0xffff);
                in.expect(",type=");
                int type = (int) in.unsigned("geneve option type", 0xff);
                in.expect(",len=");
                int lenPos = in.pos();
                int len = (int) in.unsigned("geneve option len", GeneveHeaderFlyweight.MAX_OPTION_DATA_BYTES);
                if (len % 4 != 0) {
                    throw in.errorAt(lenPos, "geneve option len " + len + " is not a multiple of 4");
                }
                if (optLen + GeneveHeaderFlyweight.OPTION_HEADER_LENGTH + len > GeneveHeaderFlyweight.MAX_OPTIONS_BYTES
                        || opts + optLen + GeneveHeaderFlyweight.OPTION_HEADER_LENGTH + len > h.length) {
                    throw in.errorAt(lenPos, "geneve options longer than " + GeneveHeaderFlyweight.MAX_OPTIONS_BYTES
                            + " bytes");
                }
                b.putInt(opts + optLen, GeneveHeaderFlyweight.optionHeader(cls, type, len),
                        GeneveHeaderFlyweight.BYTE_ORDER);
                optLen += GeneveHeaderFlyweight.OPTION_HEADER_LENGTH;
                if (len > 0 && in.tryConsume(",")) {
                    data(in, h, opts + optLen, len);
                }
                optLen += len;
                in.expect("}");
            }
            in.expect(")");
        }
        in.expect(")");
        b.putInt(at, GeneveHeaderFlyweight.firstWordOf(optLen, oam, crit, GeneveHeaderFlyweight.PROTOCOL_TEB),
                GeneveHeaderFlyweight.BYTE_ORDER);
        b.putInt(at + GeneveHeaderFlyweight.VNI_OFFSET, vni << 8, GeneveHeaderFlyweight.BYTE_ORDER);
        return GeneveHeaderFlyweight.HEADER_LENGTH + optLen;
    }

    /** A hexadecimal number right-aligned in {@code len} bytes at {@code at}. */
    private static void data(TextCursor in, byte[] h, int at, int len) {
        int start = in.pos();
        if (in.tryConsume("0x") || in.tryConsume("0X")) {
            String digits = in.hexRun();
            if (digits.isEmpty() || (digits.length() + 1) / 2 > len) {
                throw in.errorAt(start, "geneve option data does not fit its " + len + " bytes");
            }
            int k = at + len - 1;
            boolean low = true;
            for (int p = digits.length() - 1; p >= 0; p--) {
                int d = TextCursor.hexDigit(digits.charAt(p));
                h[k] = (byte) (low ? d : (h[k] & 0x0f) | d << 4);
                if (!low) {
                    k--;
                }
                low = !low;
            }
        } else {
            long v = in.unsigned("geneve option data", -1L);
            for (int k = 0; k < Math.min(8, len); k++) {
                h[at + len - 1 - k] = (byte) (v >>> (8 * k));
            }
        }
    }
}
