package dev.jvswitch.pmd.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Verifies a frame's checksums from scratch, parsing it independently of the mbuf's offsets:
 * Ethernet and VLAN tags, IPv4 header checksum, IPv6 extension headers, TCP/UDP/ICMPv6 over
 * their pseudo-header, SCTP's CRC32c.
 */
final class PacketChecks {
    private PacketChecks() {
    }

    /** Sum of 16-bit big-endian words (odd tail padded with zero), not folded. */
    static int sum16(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += (b[off + i] & 0xff) << 8 | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        return sum;
    }

    /** The Internet checksum of {@code b[off..off+len)} plus {@code initialSum}. */
    static int internetChecksum(byte[] b, int off, int len, int initialSum) {
        long sum = (initialSum & 0xffffffffL) + sum16(b, off, len);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) ~sum & 0xffff;
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    /** Every checksum problem found in {@code frame}, empty when all verify. */
    static List<String> problems(byte[] frame) {
        List<String> out = new ArrayList<>();
        int off = 12;
        int type = u16(frame, off);
        while (type == 0x8100 || type == 0x88a8) {
            off += 4;
            type = u16(frame, off);
        }
        int l3 = off + 2;
        int proto;
        int l4;
        int l4End;
        int pseudo;
        boolean ipv4 = type == 0x0800;
        if (ipv4) {
            int ihl = (frame[l3] & 0xf) * 4;
            if (internetChecksum(frame, l3, ihl, 0) != 0) {
                out.add("ipv4 header checksum " + Integer.toHexString(u16(frame, l3 + 10)) + " is wrong");
            }
            if ((u16(frame, l3 + 6) & 0x1fff) != 0) {
                return out; // later fragment: no L4 header to check
            }
            proto = frame[l3 + 9] & 0xff;
            l4 = l3 + ihl;
            l4End = l3 + u16(frame, l3 + 2);
            pseudo = sum16(frame, l3 + 12, 8) + proto + (l4End - l4);
        } else if (type == 0x86dd) {
            int next = frame[l3 + 6] & 0xff;
            int p = l3 + 40;
            int dstAt = l3 + 24;
            int finalDstAt = dstAt;
            while (next == 0 || next == 43 || next == 44 || next == 60) {
                if (next == 43 && (frame[p + 3] & 0xff) > 0) {
                    finalDstAt = p + 8; // the one address our test routing headers carry
                }
                if (next == 44 && (u16(frame, p + 2) & 0xfff8) != 0) {
                    return out;
                }
                int len = next == 44 ? 8 : ((frame[p + 1] & 0xff) + 1) * 8;
                next = frame[p] & 0xff;
                p += len;
            }
            proto = next;
            l4 = p;
            l4End = l3 + 40 + u16(frame, l3 + 4);
            pseudo = sum16(frame, l3 + 8, 16) + sum16(frame, finalDstAt, 16) + (l4End - l4) + proto;
        } else {
            return out;
        }
        switch (proto) {
            case TestFrame.TCP, TestFrame.ICMPV6 -> {
                if (internetChecksum(frame, l4, l4End - l4, pseudo) != 0) {
                    out.add(name(proto) + " checksum " + Integer.toHexString(u16(frame, l4 + (proto == 6 ? 16 : 2)))
                            + " is wrong");
                }
            }
            case TestFrame.UDP -> {
                int stored = u16(frame, l4 + 6);
                if (stored == 0) {
                    if (!ipv4) {
                        out.add("udp checksum 0 over ipv6");
                    }
                } else if (internetChecksum(frame, l4, l4End - l4, pseudo) != 0) {
                    out.add("udp checksum " + Integer.toHexString(stored) + " is wrong");
                }
            }
            case TestFrame.SCTP -> {
                if (storedSctp(frame, l4) != correctSctp(frame, l4, l4End)) {
                    out.add("sctp crc32c " + Integer.toHexString(storedSctp(frame, l4)) + " is wrong");
                }
            }
            default -> {
            }
        }
        return out;
    }

    static int storedSctp(byte[] frame, int l4) {
        return (frame[l4 + 8] & 0xff) | (frame[l4 + 9] & 0xff) << 8 | (frame[l4 + 10] & 0xff) << 16
                | (frame[l4 + 11] & 0xff) << 24;
    }

    static int correctSctp(byte[] frame, int l4, int l4End) {
        byte[] copy = java.util.Arrays.copyOfRange(frame, l4, l4End);
        copy[8] = 0;
        copy[9] = 0;
        copy[10] = 0;
        copy[11] = 0;
        CRC32C crc = new CRC32C();
        crc.update(copy);
        return (int) crc.getValue();
    }

    private static String name(int proto) {
        return proto == 6 ? "tcp" : "icmpv6";
    }
}
