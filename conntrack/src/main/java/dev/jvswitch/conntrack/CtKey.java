package dev.jvswitch.conntrack;

/**
 * A connection lookup key: the tuple of one direction of a connection in five words, plus its
 * hash. Both IP versions use the same layout, an IPv4 address sitting in the low 32 bits of the
 * {@code Lo} word with {@code Hi} zero.
 *
 * <pre>
 *  srcHi, srcLo  source address (128 bits)
 *  dstHi, dstLo  destination address (128 bits)
 *  meta    63          48 47          32 31          16 15      8 7       0
 *         |   tp_src     |   tp_dst     |    zone      | proto  | family |
 * </pre>
 *
 * <p>For ICMP echo (and ICMPv6 echo) both port fields carry the identifier in {@code tp_src} and
 * the type pair in {@code tp_dst} (the packet's type in the high byte, the type of its answer in
 * the low byte), so that the reverse of a request's key is its reply's key, as OVS's key with its
 * {@code icmp_type} and reversed type on each side is; {@link #reverse} swaps the bytes.
 *
 * <p><b>Thread-safety:</b> a scratch value owned by one thread; the table copies what it keeps.
 */
public final class CtKey {
    /** {@code family} value for IPv4; IPv6 is {@link #FAMILY_IPV6}. */
    public static final int FAMILY_IPV4 = 0;
    public static final int FAMILY_IPV6 = 1;

    long srcHi;
    long srcLo;
    long dstHi;
    long dstLo;
    long meta;
    int hash;

    public static long meta(int tpSrc, int tpDst, int zone, int proto, int family) {
        return ((long) (tpSrc & 0xffff) << 48) | ((long) (tpDst & 0xffff) << 32) | ((long) (zone & 0xffff) << 16)
                | ((proto & 0xff) << 8) | (family & 0xff);
    }

    /** Sets the whole key and computes its hash. */
    public CtKey set(long srcHi, long srcLo, long dstHi, long dstLo, long meta) {
        this.srcHi = srcHi;
        this.srcLo = srcLo;
        this.dstHi = dstHi;
        this.dstLo = dstLo;
        this.meta = meta;
        this.hash = hash(srcHi, srcLo, dstHi, dstLo, meta);
        return this;
    }

    public void copyFrom(CtKey o) {
        srcHi = o.srcHi;
        srcLo = o.srcLo;
        dstHi = o.dstHi;
        dstLo = o.dstLo;
        meta = o.meta;
        hash = o.hash;
    }

    /** Makes this key the reverse direction of {@code o}. */
    public CtKey reverseOf(CtKey o) {
        return set(o.dstHi, o.dstLo, o.srcHi, o.srcLo, reverseMeta(o.meta));
    }

    /** The reverse of this key, in place. */
    public CtKey reverse() {
        return set(dstHi, dstLo, srcHi, srcLo, reverseMeta(meta));
    }

    static long reverseMeta(long meta) {
        int proto = proto(meta);
        int tpSrc = (int) (meta >>> 48) & 0xffff;
        int tpDst = (int) (meta >>> 32) & 0xffff;
        long low = meta & 0xffff_ffffL;
        if (proto == 1 || proto == 58) {
            int swapped = ((tpDst & 0xff) << 8) | (tpDst >>> 8);
            return ((long) tpSrc << 48) | ((long) swapped << 32) | low;
        }
        return ((long) tpDst << 48) | ((long) tpSrc << 32) | low;
    }

    static int hash(long srcHi, long srcLo, long dstHi, long dstLo, long meta) {
        long h = meta * 0x9E3779B97F4A7C15L;
        h = (h ^ srcHi) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ srcLo) * 0x165667B19E3779F9L;
        h = (h ^ dstHi) * 0x9E3779B97F4A7C15L;
        h = (h ^ dstLo) * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        h *= 0x94D049BB133111EBL;
        return (int) (h ^ (h >>> 32));
    }

    static int proto(long meta) {
        return (int) (meta >>> 8) & 0xff;
    }

    static int zone(long meta) {
        return (int) (meta >>> 16) & 0xffff;
    }

    public int zone() {
        return zone(meta);
    }

    public int proto() {
        return proto(meta);
    }

    public boolean ipv6() {
        return (meta & 0xff) == FAMILY_IPV6;
    }

    public int tpSrc() {
        return (int) (meta >>> 48) & 0xffff;
    }

    public int tpDst() {
        return (int) (meta >>> 32) & 0xffff;
    }

    public long srcHi() {
        return srcHi;
    }

    public long srcLo() {
        return srcLo;
    }

    public long dstHi() {
        return dstHi;
    }

    public long dstLo() {
        return dstLo;
    }

    public long meta() {
        return meta;
    }

    public int hash() {
        return hash;
    }

    @Override
    public String toString() {
        return CtFormat.tuple(srcHi, srcLo, dstHi, dstLo, meta, true);
    }
}
