package dev.jvswitch.pmd.tunnel;

import dev.jvswitch.flowcache.key.Addresses;

/**
 * An IPv4 or IPv6 address held as 128 bits, an IPv4 address in its IPv4-mapped form
 * ({@code ::ffff:a.b.c.d}), as OVS keeps tunnel and route addresses ({@code struct in6_addr}):
 * one type for both families, so that routes, neighbours and tunnel configs compare and
 * prefix-match either without a branch per family.
 *
 * @param hi the high 64 bits, network order
 * @param lo the low 64 bits, network order
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record IpAddress(long hi, long lo) {
    /** The unspecified address {@code ::}. */
    public static final IpAddress ANY = new IpAddress(0, 0);
    private static final long MAPPED_LO_PREFIX = 0x0000_ffff_0000_0000L;

    /** The IPv4-mapped form of {@code ipv4}. */
    public static IpAddress ofIpv4(int ipv4) {
        return new IpAddress(0, mappedLo(ipv4));
    }

    /** The low word of {@code ofIpv4(ipv4)} (its high word is 0), for lookups that make no object. */
    public static long mappedLo(int ipv4) {
        return MAPPED_LO_PREFIX | (ipv4 & 0xffff_ffffL);
    }

    /**
     * Parses a literal: a dotted quad or RFC 4291 text. Never resolves a name.
     *
     * @throws IllegalArgumentException {@code bad IP address 'x'}
     */
    public static IpAddress parse(String text) {
        String t = text.trim();
        try {
            if (t.indexOf(':') < 0) {
                return ofIpv4(Addresses.parseIpv4(t));
            }
            long[] v6 = Addresses.parseIpv6(t);
            return new IpAddress(v6[0], v6[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad IP address '" + text + "'");
        }
    }

    /** True for an IPv4-mapped address. */
    public boolean isIpv4() {
        return isIpv4(hi, lo);
    }

    /** True if {@code hi:lo} is an IPv4-mapped address. */
    public static boolean isIpv4(long hi, long lo) {
        return hi == 0 && (lo & 0xffff_ffff_0000_0000L) == MAPPED_LO_PREFIX;
    }

    /** The IPv4 address of an IPv4-mapped address. */
    public int ipv4() {
        return (int) lo;
    }

    public boolean isAny() {
        return hi == 0 && lo == 0;
    }

    /** Multicast: 224.0.0.0/4 or ff00::/8 (a tunnel cannot have one as its remote). */
    public boolean isMulticast() {
        return isIpv4() ? (ipv4() >>> 28) == 0xe : (hi >>> 56) == 0xff;
    }

    /** The prefix length in 128-bit terms of a {@code plen} given in this address's family. */
    public int fullPrefix(int plen) {
        return isIpv4() ? plen + 96 : plen;
    }

    /** Whether the top {@code plen128} bits (of 128) of this address and {@code other} agree. */
    public boolean samePrefix(IpAddress other, int plen128) {
        return samePrefix(other.hi, other.lo, plen128);
    }

    /** Whether the top {@code plen128} bits (of 128) of this address and {@code oHi:oLo} agree. */
    public boolean samePrefix(long oHi, long oLo, int plen128) {
        long mh = Addresses.ipv6PrefixHigh(plen128);
        long ml = Addresses.ipv6PrefixLow(plen128);
        return ((hi ^ oHi) & mh) == 0 && ((lo ^ oLo) & ml) == 0;
    }

    /** This address with all but the top {@code plen128} bits cleared. */
    public IpAddress masked(int plen128) {
        return new IpAddress(hi & Addresses.ipv6PrefixHigh(plen128), lo & Addresses.ipv6PrefixLow(plen128));
    }

    /** A dotted quad for an IPv4-mapped address, else RFC 5952 text (OVS's {@code ipv6_format_mapped}). */
    @Override
    public String toString() {
        return isIpv4() ? Addresses.ipv4(ipv4()) : Addresses.ipv6(hi, lo);
    }
}
