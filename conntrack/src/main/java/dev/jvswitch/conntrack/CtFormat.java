package dev.jvswitch.conntrack;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Text of connections in OVS's {@code ct_dpif_format_entry} layout, e.g.
 * {@code tcp,orig=(src=10.1.1.1,dst=10.1.1.2,sport=3000,dport=80),reply=(src=10.1.1.2,dst=10.1.1.1,sport=80,dport=3000),zone=1,protoinfo=(state=ESTABLISHED)}.
 * Control path only: it allocates.
 */
final class CtFormat {
    private CtFormat() {
    }

    static String entry(CtEntry e, boolean verbose, boolean stats) {
        StringBuilder sb = new StringBuilder(160);
        sb.append(protoName(e.proto()));
        sb.append(",orig=(");
        tuple(sb, e.origAddrs(), e.origMeta(), verbose, e.origIcmpType(), e.origIcmpCode());
        if (stats) {
            counters(sb, e.packetsOrig(), e.bytesOrig());
        }
        sb.append("),reply=(");
        int replyType = e.proto() == CtPacket.ICMP ? IcmpTypes.reverse4(e.origIcmpType())
                : e.proto() == CtPacket.ICMPV6 ? IcmpTypes.reverse6(e.origIcmpType()) : 0;
        tuple(sb, e.replyAddrs(), e.replyMeta(), verbose, replyType, e.origIcmpCode());
        if (stats) {
            counters(sb, e.packetsReply(), e.bytesReply());
        }
        sb.append(')');
        if (verbose) {
            sb.append(",id=").append(e.id() & 0xffff_ffffL);
        }
        if (e.zone() != 0) {
            sb.append(",zone=").append(e.zone());
        }
        if (verbose) {
            sb.append(",status=0");
        }
        if (stats) {
            sb.append(",timeout=").append(e.timeoutSeconds());
        }
        if (e.mark() != 0) {
            sb.append(",mark=").append(e.mark() & 0xffff_ffffL);
        }
        if ((e.labelHi() | e.labelLo()) != 0) {
            sb.append(",labels=0x");
            if (e.labelHi() != 0) {
                sb.append(Long.toHexString(e.labelHi())).append(String.format("%016x", e.labelLo()));
            } else {
                sb.append(Long.toHexString(e.labelLo()));
            }
        }
        if (e.proto() == CtPacket.TCP) {
            sb.append(",protoinfo=(");
            if (verbose) {
                sb.append("state_orig=").append(TcpState.name(e.tcpStateOrig()));
                sb.append(",state_reply=").append(TcpState.name(e.tcpStateReply()));
                if (e.wscaleOrig() != 0 || e.wscaleReply() != 0) {
                    sb.append(",wscale_orig=").append(e.wscaleOrig()).append(",wscale_reply=").append(e.wscaleReply());
                }
                sb.append(",flags_orig=").append(tcpFlags(e.tcpFlagsOrig()));
                sb.append(",flags_reply=").append(tcpFlags(e.tcpFlagsReply()));
            } else {
                int s = Math.max(e.tcpStateOrig(), e.tcpStateReply());
                if (s == TcpState.FIN_WAIT_2) {
                    s = TcpState.TIME_WAIT;
                } else if (s == TcpState.SYN_RECV) {
                    s = TcpState.ESTABLISHED;
                }
                sb.append("state=").append(TcpState.name(s));
            }
            sb.append(')');
        }
        String helper = CtAlg.name(e.helper());
        if (helper != null) {
            sb.append(",helper=").append(helper);
        }
        if (verbose && e.parentAddrs() != null) {
            sb.append(",parent=(");
            tuple(sb, e.parentAddrs(), e.parentMeta(), true, 0, 0);
            sb.append(')');
        }
        return sb.toString();
    }

    /** OVS's {@code CT_DPIF_TCPF_*} names of a peer's flags, "0" for none. */
    private static String tcpFlags(int flags) {
        if (flags == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        if ((flags & 1) != 0) {
            sb.append("WINDOW_SCALE|");
        }
        if ((flags & 8) != 0) {
            sb.append("BE_LIBERAL|");
        }
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    private static void counters(StringBuilder sb, long packets, long bytes) {
        if (packets != 0 || bytes != 0) {
            sb.append(",packets=").append(packets).append(",bytes=").append(bytes);
        }
    }

    static String protoName(int proto) {
        return switch (proto) {
            case CtPacket.ICMP -> "icmp";
            case CtPacket.ICMPV6 -> "icmpv6";
            case CtPacket.TCP -> "tcp";
            case CtPacket.UDP -> "udp";
            case 132 -> "sctp";
            default -> Integer.toString(proto);
        };
    }

    private static void tuple(StringBuilder sb, long[] a, long meta, boolean verbose, int icmpType, int icmpCode) {
        boolean v6 = (meta & 0xff) == CtKey.FAMILY_IPV6;
        sb.append("src=").append(addr(a[0], a[1], v6)).append(",dst=").append(addr(a[2], a[3], v6));
        int proto = CtKey.proto(meta);
        int tpSrc = (int) (meta >>> 48) & 0xffff;
        int tpDst = (int) (meta >>> 32) & 0xffff;
        if (proto == CtPacket.ICMP || proto == CtPacket.ICMPV6) {
            // OVS 3.1 prints type and code whether verbose or not.
            sb.append(",id=").append(tpSrc).append(",type=").append(icmpType).append(",code=").append(icmpCode);
        } else {
            sb.append(",sport=").append(tpSrc).append(",dport=").append(tpDst);
        }
    }

    /** A key's tuple as text (tests and debugging). */
    static String tuple(long srcHi, long srcLo, long dstHi, long dstLo, long meta, boolean verbose) {
        StringBuilder sb = new StringBuilder();
        sb.append(protoName(CtKey.proto(meta))).append(",zone=").append(CtKey.zone(meta)).append(',');
        tuple(sb, new long[] {srcHi, srcLo, dstHi, dstLo}, meta, verbose, (int) (meta >>> 40) & 0xff,
                0);
        return sb.toString();
    }

    static String addr(long hi, long lo, boolean v6) {
        if (!v6) {
            return ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        try {
            return compress(InetAddress.getByAddress(b).getHostAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Java prints IPv6 uncompressed ("fc00:0:0:0:0:0:0:1"); OVS prints RFC 5952 ("fc00::1"). */
    private static String compress(String full) {
        String[] parts = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < parts.length; ) {
            if (parts[i].equals("0")) {
                int j = i;
                while (j < parts.length && parts[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String left = String.join(":", java.util.Arrays.copyOfRange(parts, 0, bestStart));
        String right = String.join(":", java.util.Arrays.copyOfRange(parts, bestStart + bestLen, parts.length));
        return left + "::" + right;
    }
}
