package dev.jvswitch.conntrack;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The {@code ct-orig-tuple} argument of {@code dpctl/flush-conntrack} in OVS's syntax
 * ({@code ct_dpif_parse_tuple}): {@code ct_nw_src=A,ct_nw_dst=B,ct_nw_proto=P,ct_tp_src=S,ct_tp_dst=D}
 * (or {@code ct_ipv6_src}/{@code ct_ipv6_dst}; {@code icmp_type}, {@code icmp_code},
 * {@code icmp_id} for ICMP), read into the key of the connection's original direction in a zone.
 * Control path only: it allocates.
 */
public final class CtTuple {
    private CtTuple() {
    }

    /**
     * The original-direction key {@code text} names in {@code zone}.
     *
     * @throws IllegalArgumentException with OVS's one-line message
     */
    public static CtKey parse(String text, int zone) {
        long[] src = null;
        long[] dst = null;
        Boolean v6 = null;
        int proto = 0;
        int tpSrc = 0;
        int tpDst = 0;
        int icmpType = 0;
        int icmpCode = 0;
        int icmpId = 0;
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
                    boolean six = key.startsWith("ct_ipv6");
                    if (v6 != null && v6 != six) {
                        throw new IllegalArgumentException("the L3 protocol does not match " + value);
                    }
                    v6 = six;
                    long[] a = address(value, six, key);
                    if (key.endsWith("src")) {
                        src = a;
                    } else {
                        dst = a;
                    }
                }
                case "ct_nw_proto" -> proto = number(value, key, 255);
                case "ct_tp_src" -> tpSrc = number(value, key, 65535);
                case "ct_tp_dst" -> tpDst = number(value, key, 65535);
                case "icmp_type", "icmp_code", "icmp_id" -> {
                    if (proto != CtPacket.ICMP && proto != CtPacket.ICMPV6) {
                        throw new IllegalArgumentException("invalid L4 fields");
                    }
                    if (key.equals("icmp_type")) {
                        icmpType = number(value, key, 255);
                    } else if (key.equals("icmp_code")) {
                        icmpCode = number(value, key, 255);
                    } else {
                        icmpId = number(value, key, 65535);
                    }
                }
                default -> throw new IllegalArgumentException("invalid conntrack tuple field: " + key);
            }
        }
        boolean icmp = proto == CtPacket.ICMP || proto == CtPacket.ICMPV6;
        if (src == null || dst == null || proto == 0 || !icmp && (proto == CtPacket.TCP || proto == CtPacket.UDP)
                && (tpSrc == 0 || tpDst == 0)) {
            throw new IllegalArgumentException("at least one of the conntrack 5-tuple fields is missing.");
        }
        if (icmp) {
            int answer = proto == CtPacket.ICMP ? IcmpTypes.reverse4(icmpType) : IcmpTypes.reverse6(icmpType);
            tpSrc = icmpId;
            tpDst = (icmpType << 8) | (answer & 0xff);
        } else if (proto != CtPacket.TCP && proto != CtPacket.UDP) {
            tpSrc = 0;
            tpDst = 0;
        }
        int family = Boolean.TRUE.equals(v6) ? CtKey.FAMILY_IPV6 : CtKey.FAMILY_IPV4;
        return new CtKey().set(src[0], src[1], dst[0], dst[1], CtKey.meta(tpSrc, tpDst, zone, proto, family));
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
