package dev.jvswitch.conntrack;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.mempool.Mbuf;

/**
 * The FTP ALG (OVS's {@code handle_ftp_ctl}): reads the control connection's commands and replies
 * that announce a data connection ({@code PORT}, {@code EPRT}, {@code 227} for {@code PASV},
 * {@code 229} for {@code EPSV}; over IPv6 only {@code EPRT} and the extended passive reply),
 * makes the expectation for it, and under NAT writes the translated address into the text and
 * keeps the TCP sequence numbers of both directions consistent with the payload's new length.
 *
 * <p>Parsing follows OVS's: the first 128 payload bytes, case-insensitive keywords, the address
 * as the text after the first space (commas for dots in {@code PORT}/{@code 227}), the port as
 * one number (extended forms) or two bytes. An address in the text that is neither the control
 * connection's own nor its translated one is refused ({@code inv}, no expectation), against the
 * FTP bounce attack. A payload that would not fit the mbuf after rewriting is left as it is.
 *
 * <p><b>Thread-safety:</b> stateless; callers hold the control connection's monitor.
 */
final class FtpAlg {
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    /** OVS's {@code LARGEST_FTP_MSG_OF_INTEREST} (it copies one byte less, as a C string). */
    private static final int LARGEST = 127;
    private static final int MAX_V4_DELTA = 8;
    private static final int MAX_V6_DELTA = 45;

    /** Outcome of {@link #process}. */
    static final int OTHER = 0;
    static final int INTEREST = 1;
    static final int INVALID = 2;

    private FtpAlg() {
    }

    /** Whether {@code p}'s payload announces a data connection (OVS's {@code detect_ftp_ctl_type}). */
    static boolean interest(CtPacket p) {
        int start = p.l4 + p.tcpHeaderLen;
        int len = Math.min(p.tcpPayloadLen, LARGEST);
        if (len <= 0) {
            return false;
        }
        UnsafeBuffer b = p.buf;
        if (startsWith(b, start, len, "EPRT")) {
            return true;
        }
        if (p.ipv6) {
            return indexOf(b, start, len, "EXTENDED PASSIVE") >= 0;
        }
        return startsWith(b, start, len, "PORT") || startsWith(b, start, len, "227") || startsWith(b, start, len, "229");
    }

    /**
     * Parses an announcing packet of control connection {@code c} (direction {@code reply}),
     * makes its expectation, and with {@code nat} rewrites the address; then moves the sequence
     * numbers by the connection's skew. Returns {@link #INTEREST}, or {@link #INVALID} for text
     * OVS refuses.
     */
    static int process(Mbuf m, CtPacket p, Conn c, ConnAlg a, boolean reply, boolean nat, CtExpectations exps) {
        int start = p.l4 + p.tcpHeaderLen;
        int len = Math.min(p.tcpPayloadLen, LARGEST);
        byte[] msg = new byte[len];
        p.buf.getBytes(start, msg);
        Parsed r = p.ipv6 ? parse6(msg, c) : parse4(msg, c);
        if (r == null) {
            return INVALID;
        }
        exps.create(c, a, r.port, reply);
        int delta = 0;
        if (nat && r.addrSize > 0) {
            String text = p.ipv6 ? CtFormat.addr(r.repHi, r.repLo, true)
                    : CtFormat.addr(0, r.repLo, false).replace('.', ',');
            delta = replace(m, p, start + r.addrOffset, r.addrSize, text.getBytes(StandardCharsets.US_ASCII));
        }
        adjustSeq(p, a, reply, nat, false);
        recomputeTcpChecksum(p);
        if (delta != 0) {
            a.seqSkew += delta;
            a.seqSkewReply = reply;
        }
        return INTEREST;
    }

    /**
     * A control packet announcing nothing: moves its ack (the other direction's packets) or its
     * sequence number (the skewed direction's) by the skew, as OVS's {@code CT_FTP_CTL_OTHER}
     * pass. {@code beforeTracking} picks which: the ack before TCP tracking sees it, the sequence
     * number after.
     */
    static void adjustOther(CtPacket p, ConnAlg a, boolean reply, boolean beforeTracking) {
        if (a.seqSkew == 0 || (reply != a.seqSkewReply) != beforeTracking) {
            return;
        }
        adjustSeq(p, a, reply, true, true);
    }

    private static void adjustSeq(CtPacket p, ConnAlg a, boolean reply, boolean nat, boolean fixSum) {
        if (!nat || a.seqSkew == 0) {
            return;
        }
        UnsafeBuffer b = p.buf;
        int at = reply != a.seqSkewReply ? p.l4 + 8 : p.l4 + 4;
        int old = b.getInt(at, BE);
        int neu = reply != a.seqSkewReply ? old - a.seqSkew : old + a.seqSkew;
        b.putInt(at, neu, BE);
        if (reply != a.seqSkewReply) {
            p.tcpAck = neu;
        } else {
            p.tcpSeq = neu;
        }
        if (fixSum) {
            int csum = b.getShort(p.l4 + 16, BE) & 0xffff;
            b.putShort(p.l4 + 16, (short) NatRewrite.update32(csum, old, neu), BE);
        }
    }

    /** Replaces {@code size} bytes at {@code at} by {@code text}; returns the length change (0 when it did not fit). */
    private static int replace(Mbuf m, CtPacket p, int at, int size, byte[] text) {
        UnsafeBuffer b = p.buf;
        int base = m.dataOffset();
        int ipEnd = p.l4 + p.l4Len;
        int delta = text.length - size;
        if (delta > 0 && ipEnd + (p.ipv6 ? MAX_V6_DELTA : MAX_V4_DELTA) > base + m.length() + m.tailroom()) {
            return 0; // OVS's check for a pathological MTU: the packet goes on unchanged
        }
        int newLen = ipEnd - base + delta;
        if (newLen > m.length() ? !m.append(newLen - m.length()) : !m.trimBack(m.length() - newLen)) {
            return 0;
        }
        int tail = ipEnd - (at + size);
        byte[] rest = new byte[tail];
        b.getBytes(at + size, rest);
        b.putBytes(at, text);
        b.putBytes(at + text.length, rest);
        p.l4Len += delta;
        p.tcpPayloadLen += delta;
        if (p.ipv6) {
            int plen = b.getShort(p.l3 + 4, BE) & 0xffff;
            b.putShort(p.l3 + 4, (short) (plen + delta), BE);
        } else {
            int total = b.getShort(p.l3 + 2, BE) & 0xffff;
            int csum = b.getShort(p.l3 + 10, BE) & 0xffff;
            b.putShort(p.l3 + 10, (short) NatRewrite.update16(csum, total, total + delta), BE);
            b.putShort(p.l3 + 2, (short) (total + delta), BE);
        }
        return delta;
    }

    private static void recomputeTcpChecksum(CtPacket p) {
        UnsafeBuffer b = p.buf;
        b.putShort(p.l4 + 16, (short) 0);
        int pseudo;
        if (p.ipv6) {
            pseudo = CtChecksum.pseudo6(b.getLong(p.l3 + 8, BE), b.getLong(p.l3 + 16, BE), b.getLong(p.l3 + 24, BE),
                    b.getLong(p.l3 + 32, BE), CtPacket.TCP, p.l4Len);
        } else {
            pseudo = CtChecksum.pseudo4(b.getInt(p.l3 + 12, BE), b.getInt(p.l3 + 16, BE), CtPacket.TCP, p.l4Len);
        }
        int sum = CtChecksum.fold((long) CtChecksum.sum(b, p.l4, p.l4Len) + pseudo);
        b.putShort(p.l4 + 16, (short) (~sum & 0xffff), BE);
    }

    /** What an announcing message says: where its address text is, the port, and the address NAT writes. */
    private record Parsed(int addrOffset, int addrSize, int port, long repHi, long repLo) {
    }

    /** OVS's {@code process_ftp_ctl_v4}. */
    private static Parsed parse4(byte[] msg, Conn c) {
        boolean active;
        boolean extended;
        int i;
        if (startsWith(msg, "PORT")) {
            i = 4;
            active = true;
            extended = false;
        } else if (startsWith(msg, "EPRT")) {
            i = 4;
            active = true;
            extended = true;
        } else if (startsWith(msg, "229")) {
            i = 3;
            active = false;
            extended = true;
        } else {
            i = 3;
            active = false;
            extended = false;
        }
        while (i < msg.length && msg[i] != ' ') {
            i++;
        }
        i = skipNonDigits(msg, i);
        if (i >= msg.length) {
            return null;
        }
        if (extended && active) {
            if (msg[i] != '1' || i + 1 < msg.length && isDigit(msg[i + 1])) {
                return null;
            }
            i = skipNonDigits(msg, i + 1);
            if (i >= msg.length) {
                return null;
            }
        }
        int addrOffset = 0;
        int addrSize = 0;
        long addr = -1;
        if (!extended || active) {
            addrOffset = i;
            int commas = 0;
            int j = i;
            StringBuilder sb = new StringBuilder(16);
            while (j < msg.length) {
                byte ch = msg[j];
                if (ch == ',' && commas < 3) {
                    ch = '.';
                    commas++;
                }
                if (!isDigit(ch) && ch != '.') {
                    break;
                }
                sb.append((char) ch);
                j++;
            }
            addr = parseIpv4(sb.toString());
            if (addr < 0) {
                return null;
            }
            addrSize = j - i;
            i = j + 1;
        }
        int port;
        if (!extended) {
            int[] v = number(msg, i, 4);
            if (v == null || v[0] > 255) {
                return null;
            }
            int[] lo = number(msg, v[1] + 1, Integer.MAX_VALUE);
            if (lo == null || lo[0] > 255) {
                return null;
            }
            port = v[0] << 8 | lo[0];
        } else {
            int[] v = number(msg, i, 6);
            if (v == null || v[0] > 0xffff) {
                return null;
            }
            port = v[0];
        }
        long rep = active ? c.rDstLo : c.dstLo;
        long own = active ? c.srcLo : c.rSrcLo;
        if ((!extended || active) && addr != own && addr != rep) {
            return null; // the FTP bounce attack
        }
        return new Parsed(addrOffset, addrSize, port, 0, rep);
    }

    /** OVS's {@code process_ftp_ctl_v6}. */
    private static Parsed parse6(byte[] msg, Conn c) {
        int i;
        int addrOffset = 0;
        int addrSize = 0;
        boolean active;
        long[] addr = null;
        if (startsWith(msg, "EPRT")) {
            i = skipNonDigits(msg, 4);
            if (i >= msg.length || msg[i] != '2' || i + 1 < msg.length && isDigit(msg[i + 1])) {
                return null;
            }
            i += 2;
            addrOffset = i;
            int j = i;
            while (j < msg.length && (Character.digit(msg[j], 16) >= 0 || msg[j] == ':' || msg[j] == '.')) {
                j++;
            }
            addrSize = j - i;
            addr = parseIpv6(new String(msg, i, Math.max(0, Math.min(j, msg.length) - i), StandardCharsets.US_ASCII));
            if (addr == null) {
                return null;
            }
            i = j + 1;
            active = true;
        } else {
            i = 0;
            while (i < msg.length && msg[i] != '(') {
                i++;
            }
            i = skipNonDigits(msg, i);
            if (i >= msg.length) {
                return null;
            }
            active = false;
        }
        int[] v = number(msg, i, 6);
        if (v == null || v[0] > 0xffff) {
            return null;
        }
        if (active) {
            boolean rep = addr[0] == c.rDstHi && addr[1] == c.rDstLo;
            boolean own = addr[0] == c.srcHi && addr[1] == c.srcLo;
            if (!rep && !own) {
                return null;
            }
            return new Parsed(addrOffset, addrSize, v[0], c.rDstHi, c.rDstLo);
        }
        return new Parsed(0, 0, v[0], c.dstHi, c.dstLo);
    }

    /**
     * The decimal number at {@code i} (OVS's {@code terminate_number_str} then {@code str_to_int}:
     * up to {@code maxDigits} digits, at least one): {value, index after it}, or null.
     */
    private static int[] number(byte[] msg, int i, int maxDigits) {
        int v = 0;
        int j = i;
        while (j < msg.length && isDigit(msg[j]) && j - i < maxDigits) {
            v = v * 10 + (msg[j] - '0');
            j++;
        }
        return j == i ? null : new int[] {v, j};
    }

    private static long parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long v = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3) {
                return -1;
            }
            int n = Integer.parseInt(part);
            if (n > 255) {
                return -1;
            }
            v = v << 8 | n;
        }
        return v;
    }

    /** An IPv6 literal as two words, or null; never a name lookup (the text holds ':' and hex digits only). */
    private static long[] parseIpv6(String s) {
        if (s.indexOf(':') < 0) {
            return null;
        }
        try {
            byte[] a = InetAddress.getByName(s).getAddress();
            if (a.length != 16) {
                return null;
            }
            long hi = 0;
            long lo = 0;
            for (int k = 0; k < 8; k++) {
                hi = hi << 8 | (a[k] & 0xff);
                lo = lo << 8 | (a[8 + k] & 0xff);
            }
            return new long[] {hi, lo};
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int skipNonDigits(byte[] msg, int i) {
        while (i < msg.length && !isDigit(msg[i]) && msg[i] != 0) {
            i++;
        }
        return i < msg.length && msg[i] == 0 ? msg.length : i;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean startsWith(byte[] msg, String word) {
        if (msg.length < word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Character.toUpperCase(msg[k]) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(UnsafeBuffer b, int at, int len, String word) {
        if (len < word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Character.toUpperCase(b.getByte(at + k)) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(UnsafeBuffer b, int at, int len, String word) {
        for (int s = 0; s + word.length() <= len; s++) {
            if (startsWith(b, at + s, len - s, word)) {
                return s;
            }
        }
        return -1;
    }
}
