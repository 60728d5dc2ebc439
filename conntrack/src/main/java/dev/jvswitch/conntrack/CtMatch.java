package dev.jvswitch.conntrack;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which connections {@code dpctl/flush-conntrack} deletes (OVS 3.x's {@code ofp_ct_match}): an
 * original tuple and a reply tuple in {@code ct-orig-tuple} syntax, each field of which may be
 * left out, plus {@code mark=X[/M]} and {@code labels=Y[/N]}. A connection matches when every
 * field given equals its own ({@code ct_dpif_entry_cmp}); a match of a whole original 5-tuple and
 * nothing else names one connection, which {@link #fiveTuple} gives as a key. Control path only:
 * it allocates.
 *
 * <p>One deviation, on purpose: OVS compares the ICMP id, type and code of a tuple whether they
 * were given or not (so {@code ct_nw_proto=1} alone matches almost nothing); here a field that
 * was not given matches anything, as the addresses and ports do.
 */
public final class CtMatch {
    /** One direction's tuple; an absent field matches anything. */
    static final class Tuple {
        boolean hasSrc;
        boolean hasDst;
        long srcHi;
        long srcLo;
        long dstHi;
        long dstLo;
        /** Ports; 0 matches anything (as in OVS). */
        int tpSrc;
        int tpDst;
        /** ICMP id, type and code; -1 when not given. */
        int icmpId = -1;
        int icmpType = -1;
        int icmpCode = -1;

        boolean empty() {
            return !hasSrc && !hasDst && tpSrc == 0 && tpDst == 0 && icmpId < 0 && icmpType < 0 && icmpCode < 0;
        }

        boolean matches(boolean icmp, long sHi, long sLo, long dHi, long dLo, long meta, int type, int code) {
            if (hasSrc && (srcHi != sHi || srcLo != sLo) || hasDst && (dstHi != dHi || dstLo != dLo)) {
                return false;
            }
            int s = (int) (meta >>> 48) & 0xffff;
            int d = (int) (meta >>> 32) & 0xffff;
            if (icmp) {
                return (icmpId < 0 || icmpId == s) && (icmpType < 0 || icmpType == type)
                        && (icmpCode < 0 || icmpCode == code);
            }
            return (tpSrc == 0 || tpSrc == s) && (tpDst == 0 || tpDst == d);
        }
    }

    final Tuple orig = new Tuple();
    final Tuple reply = new Tuple();
    /** {@link CtKey#FAMILY_IPV4} or {@link CtKey#FAMILY_IPV6}; -1 when no address was given. */
    int family = -1;
    /** IP protocol; 0 matches any. */
    int proto;
    int mark;
    int markMask;
    long labelHi;
    long labelLo;
    long labelMaskHi;
    long labelMaskLo;

    /**
     * The match {@code dpctl/flush-conntrack}'s arguments describe: {@code origTuple} and
     * {@code replyTuple} in {@code ct-orig-tuple} syntax (null or empty: none), {@code mark} and
     * {@code labels} as {@code V[/M]} (null: none).
     *
     * @throws IllegalArgumentException with OVS's one-line message
     */
    public static CtMatch parse(String origTuple, String replyTuple, String mark, String labels) {
        CtMatch m = new CtMatch();
        if (mark != null) {
            BigInteger[] v = masked(mark, 32, "mark");
            m.mark = v[0].intValue();
            m.markMask = v[1].intValue();
        }
        if (labels != null) {
            BigInteger[] v = masked(labels, 128, "labels");
            m.labelHi = v[0].shiftRight(64).longValue();
            m.labelLo = v[0].longValue();
            m.labelMaskHi = v[1].shiftRight(64).longValue();
            m.labelMaskLo = v[1].longValue();
        }
        if (origTuple != null && !origTuple.isEmpty()) {
            m.parseTuple(origTuple, m.orig);
        }
        if (replyTuple != null && !replyTuple.isEmpty()) {
            m.parseTuple(replyTuple, m.reply);
        }
        return m;
    }

    /** Whether the match names nothing at all (then the flush is of a zone, or of everything). */
    public boolean isEmpty() {
        return family < 0 && proto == 0 && orig.empty() && reply.empty() && markMask == 0
                && (labelMaskHi | labelMaskLo) == 0;
    }

    /**
     * The original-direction key in {@code zone} when the match is exactly an original 5-tuple
     * (addresses, protocol, and ports unless ICMP) and nothing else, as OVS's
     * {@code ofp_ct_match_is_five_tuple}; else null.
     */
    public CtKey fiveTuple(int zone) {
        boolean icmp = icmp(proto);
        boolean whole = orig.hasSrc && orig.hasDst && proto != 0 && (icmp || orig.tpSrc != 0 && orig.tpDst != 0);
        if (!whole || !reply.empty() || markMask != 0 || (labelMaskHi | labelMaskLo) != 0) {
            return null;
        }
        return key(zone);
    }

    /** The original key this match's original tuple spells (absent fields zero). */
    CtKey key(int zone) {
        int tpSrc = orig.tpSrc;
        int tpDst = orig.tpDst;
        if (icmp(proto)) {
            int type = Math.max(orig.icmpType, 0);
            int answer = proto == CtPacket.ICMP ? IcmpTypes.reverse4(type) : IcmpTypes.reverse6(type);
            tpSrc = Math.max(orig.icmpId, 0);
            tpDst = (type << 8) | (answer & 0xff);
        } else if (proto != CtPacket.TCP && proto != CtPacket.UDP) {
            tpSrc = 0;
            tpDst = 0;
        }
        return new CtKey().set(orig.srcHi, orig.srcLo, orig.dstHi, orig.dstLo,
                CtKey.meta(tpSrc, tpDst, zone, proto, family == CtKey.FAMILY_IPV6 ? 1 : 0));
    }

    /** Whether connection {@code c} is one this match names (OVS's {@code ct_dpif_entry_cmp}). */
    boolean matches(Conn c) {
        if (family >= 0 && family != (int) (c.meta & 0xff) || proto != 0 && proto != c.proto) {
            return false;
        }
        boolean icmp = icmp(c.proto);
        int replyType = c.proto == CtPacket.ICMP ? IcmpTypes.reverse4(c.origIcmpType)
                : c.proto == CtPacket.ICMPV6 ? IcmpTypes.reverse6(c.origIcmpType) : 0;
        return orig.matches(icmp, c.srcHi, c.srcLo, c.dstHi, c.dstLo, c.meta, c.origIcmpType, c.origIcmpCode)
                && reply.matches(icmp, c.rSrcHi, c.rSrcLo, c.rDstHi, c.rDstLo, c.rMeta, replyType, c.origIcmpCode)
                && (c.mark & markMask) == (mark & markMask)
                && (c.labelHi & labelMaskHi) == (labelHi & labelMaskHi)
                && (c.labelLo & labelMaskLo) == (labelLo & labelMaskLo);
    }

    private static boolean icmp(int proto) {
        return proto == CtPacket.ICMP || proto == CtPacket.ICMPV6;
    }

    /** OVS's {@code ofp_ct_tuple_parse}: the fields of {@code text} into {@code t}. */
    void parseTuple(String text, Tuple t) {
        for (String kv : text.split(",")) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            String key = eq < 0 ? kv : kv.substring(0, eq);
            String value = eq < 0 ? "" : kv.substring(eq + 1);
            if (value.isEmpty()) {
                throw new IllegalArgumentException("field " + key + " missing value");
            }
            switch (key) {
                case "ct_nw_src", "ct_nw_dst", "ct_ipv6_src", "ct_ipv6_dst" -> {
                    int fam = key.startsWith("ct_ipv6") ? CtKey.FAMILY_IPV6 : CtKey.FAMILY_IPV4;
                    if (family >= 0 && family != fam) {
                        throw new IllegalArgumentException("the L3 protocol does not match " + value);
                    }
                    boolean src = key.endsWith("src");
                    if (src ? t.hasSrc : t.hasDst) {
                        throw new IllegalArgumentException(key + " is set multiple times");
                    }
                    long[] a = address(value, fam == CtKey.FAMILY_IPV6, key);
                    family = fam;
                    if (src) {
                        t.hasSrc = true;
                        t.srcHi = a[0];
                        t.srcLo = a[1];
                    } else {
                        t.hasDst = true;
                        t.dstHi = a[0];
                        t.dstLo = a[1];
                    }
                }
                case "ct_nw_proto" -> proto = number(value, key, 255);
                case "ct_tp_src" -> t.tpSrc = number(value, key, 65535);
                case "ct_tp_dst" -> t.tpDst = number(value, key, 65535);
                case "icmp_type", "icmp_code", "icmp_id" -> {
                    if (!icmp(proto)) {
                        throw new IllegalArgumentException("invalid L4 fields");
                    }
                    if (key.equals("icmp_type")) {
                        t.icmpType = number(value, key, 255);
                    } else if (key.equals("icmp_code")) {
                        t.icmpCode = number(value, key, 255);
                    } else {
                        t.icmpId = number(value, key, 65535);
                    }
                }
                default -> throw new IllegalArgumentException("invalid conntrack tuple field: " + key);
            }
        }
        if (proto == 0 && (t.tpSrc != 0 || t.tpDst != 0)) {
            throw new IllegalArgumentException("port is set without protocol");
        }
    }

    private static int number(String value, String key, int max) {
        try {
            int v = value.startsWith("0x") ? Integer.parseInt(value.substring(2), 16) : Integer.parseInt(value);
            if (v < 0 || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failed to parse field " + key);
        }
    }

    /** {@code V[/M]} of at most {@code bits} bits, decimal or 0x-hexadecimal; no mask means all ones. */
    private static BigInteger[] masked(String text, int bits, String what) {
        int slash = text.indexOf('/');
        try {
            BigInteger v = unsigned(slash < 0 ? text : text.substring(0, slash));
            BigInteger m = slash < 0 ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    : unsigned(text.substring(slash + 1));
            if (v.bitLength() > bits || m.bitLength() > bits) {
                throw new NumberFormatException();
            }
            return new BigInteger[] {v, m};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failed to parse " + what);
        }
    }

    private static BigInteger unsigned(String s) {
        BigInteger v = s.startsWith("0x") || s.startsWith("0X") ? new BigInteger(s.substring(2), 16)
                : new BigInteger(s);
        if (v.signum() < 0) {
            throw new NumberFormatException();
        }
        return v;
    }

    private static long[] address(String value, boolean v6, String key) {
        boolean literal = v6 ? value.indexOf(':') >= 0 : value.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!literal) {
            throw new IllegalArgumentException("failed to parse field " + key);
        }
        try {
            InetAddress a = InetAddress.getByName(value);
            byte[] b = a.getAddress();
            if (v6 != (a instanceof Inet6Address) || !v6 && !(a instanceof Inet4Address)) {
                throw new IllegalArgumentException("failed to parse field " + key);
            }
            long hi = 0;
            long lo = 0;
            if (v6) {
                for (int i = 0; i < 8; i++) {
                    hi = hi << 8 | (b[i] & 0xff);
                    lo = lo << 8 | (b[8 + i] & 0xff);
                }
            } else {
                for (byte x : b) {
                    lo = lo << 8 | (x & 0xff);
                }
            }
            return new long[] {hi, lo};
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("failed to parse field " + key);
        }
    }
}
