package dev.jvswitch.conntrack;

/**
 * Chooses a new connection's translated reply tuple (OVS's {@code nat_get_unique_tuple}): an
 * address from the range by hash, then ports, each candidate checked against the table so that a
 * tuple in use is never handed out.
 *
 * <p>As OVS: the hash covers the connection's endpoints (only its source address with
 * {@code persistent}) and the range, so a range's ports are spread by hash and the same
 * connection asks for the same place first; {@code random} starts the port search at a random
 * place. A source NAT without a port range first tries the packet's own source port, then its
 * class (1-511, 600-1023, 1024-65535). The search tries up to 128 ports from its start, then
 * halves the count and restarts at a random port, down to 16 (OVS 3.x's bounded search); a NAT
 * that finds nothing refuses the connection (exhaustion, counted).
 *
 * <p><b>Thread-safety:</b> called under the table's monitor (creation), with the caller's
 * scratch key; the random state is the caller's context's.
 */
final class NatAlloc {
    private static final int MAX_ATTEMPTS = 128;
    private static final int MIN_ATTEMPTS = 16;

    private NatAlloc() {
    }

    /**
     * Makes {@code rev} (already the reverse of {@code fwd}) the translated reply key; false when
     * every candidate is in use.
     */
    static boolean uniqueTuple(ConnTable table, CtKey fwd, CtKey rev, NatParams n, int action, CtContext ctx,
            long nowMs) {
        int proto = fwd.proto();
        boolean pat = proto == CtPacket.TCP || proto == CtPacket.UDP || proto == CtPacket.ICMP;
        boolean persistent = (n.flags & NatParams.PERSISTENT) != 0;
        int hash = rangeHash(fwd, n, !persistent);
        int portOff = (n.flags & NatParams.RANDOM) != 0 ? ctx.nextRandom() : persistent ? rangeHash(fwd, n, true) : hash;

        long addrHi;
        long addrLo;
        boolean src = (action & NatAction.SRC) != 0;
        if (!n.hasAddr) {
            addrHi = src ? fwd.srcHi : fwd.dstHi;
            addrLo = src ? fwd.srcLo : fwd.dstLo;
        } else {
            // OVS keeps the offset within 32 bits of the range (IPv6 ranges wider than that are cut).
            long span = n.ipv6 && n.maxHi != n.minHi ? 0xffff_ffffL : n.maxLo - n.minLo;
            long range = Math.min(span, 0xffff_fffeL) + 1;
            long off = Integer.toUnsignedLong(hash) % range;
            addrHi = n.minHi;
            addrLo = n.minLo + off;
            if (n.ipv6 && Long.compareUnsigned(addrLo, n.minLo) < 0) {
                addrHi++;
            }
        }
        // Source port: the packet's own, within its class, unless a source port range is given.
        int sMin;
        int sMax;
        int sCur;
        int fwdSport = fwd.tpSrc();
        if ((action & NatAction.SRC_PORT) != 0) {
            sMin = n.minPort;
            sMax = n.maxPort;
            sCur = sMin + (int) (Integer.toUnsignedLong(portOff) % (sMax - sMin + 1));
        } else {
            sCur = fwdSport;
            if (sCur < 512) {
                sMin = 1;
                sMax = 511;
            } else if (sCur < 1024) {
                sMin = 600;
                sMax = 1023;
            } else {
                sMin = 1024;
                sMax = 65535;
            }
        }
        int dMin;
        int dMax;
        int dCur;
        if ((action & NatAction.DST_PORT) != 0) {
            dMin = n.minPort;
            dMax = n.maxPort;
            dCur = dMin + (int) (Integer.toUnsignedLong(portOff) % (dMax - dMin + 1));
        } else {
            dCur = fwd.tpDst();
            dMin = dCur;
            dMax = dCur;
        }
        boolean icmp = proto == CtPacket.ICMP;
        long meta = rev.meta;
        if (icmp) {
            // One id for both directions; the type pair stays.
            meta = withPorts(meta, fwdSport, (int) (meta >>> 32) & 0xffff);
        }
        if (src) {
            rev.dstHi = addrHi;
            rev.dstLo = addrLo;
        } else {
            rev.srcHi = addrHi;
            rev.srcLo = addrLo;
        }
        if (!pat) {
            rev.set(rev.srcHi, rev.srcLo, rev.dstHi, rev.dstLo, meta);
            return table.lookup(rev, nowMs) == null;
        }
        if (!icmp && (action & NatAction.DST_PORT) != 0) {
            int sport = fwdSport;
            if (search(table, rev, meta, false, sport, dCur, dMin, dMax, ctx, nowMs)) {
                return true;
            }
        }
        if (icmp) {
            return search(table, rev, meta, true, 0, sCur, sMin, sMax, ctx, nowMs);
        }
        // The reply key's destination port is the translated source port.
        return searchSport(table, rev, meta, dCur, sCur, sMin, sMax, ctx, nowMs);
    }

    /** Varies the reply key's source port (the destination NAT's port) over [min, max]. */
    private static boolean search(ConnTable table, CtKey rev, long meta, boolean icmp, int fixed, int cur, int min,
            int max, CtContext ctx, long nowMs) {
        int range = max - min + 1;
        int attempts = Math.min(range, MAX_ATTEMPTS);
        while (true) {
            int p = cur;
            for (int i = 0; i < attempts; i++) {
                long m = icmp ? withPorts(meta, p, (int) (meta >>> 32) & 0xffff) : withPorts(meta, p, fixed);
                rev.set(rev.srcHi, rev.srcLo, rev.dstHi, rev.dstLo, m);
                if (table.lookup(rev, nowMs) == null) {
                    return true;
                }
                p = p == max ? min : p + 1;
            }
            if (attempts < range && attempts >= MIN_ATTEMPTS) {
                attempts /= 2;
                cur = min + (int) (Integer.toUnsignedLong(ctx.nextRandom()) % range);
            } else {
                return false;
            }
        }
    }

    /** Varies the reply key's destination port (the source NAT's port) with its source port {@code dport}. */
    private static boolean searchSport(ConnTable table, CtKey rev, long meta, int dport, int cur, int min, int max,
            CtContext ctx, long nowMs) {
        int range = max - min + 1;
        int attempts = Math.min(range, MAX_ATTEMPTS);
        while (true) {
            int p = cur;
            for (int i = 0; i < attempts; i++) {
                rev.set(rev.srcHi, rev.srcLo, rev.dstHi, rev.dstLo, withPorts(meta, dport, p));
                if (table.lookup(rev, nowMs) == null) {
                    return true;
                }
                p = p == max ? min : p + 1;
            }
            if (attempts < range && attempts >= MIN_ATTEMPTS) {
                attempts /= 2;
                cur = min + (int) (Integer.toUnsignedLong(ctx.nextRandom()) % range);
            } else {
                return false;
            }
        }
    }

    private static long withPorts(long meta, int tpSrc, int tpDst) {
        return ((long) (tpSrc & 0xffff) << 48) | ((long) (tpDst & 0xffff) << 32) | (meta & 0xffff_ffffL);
    }

    /** OVS's {@code nat_range_hash}: endpoints (or the source address alone), range, protocol, zone. */
    static int rangeHash(CtKey k, NatParams n, boolean endpoints) {
        long h = 0x9E3779B97F4A7C15L;
        h = mix(h, k.srcHi);
        h = mix(h, k.srcLo);
        if (endpoints) {
            h = mix(h, k.dstHi);
            h = mix(h, k.dstLo);
            h = mix(h, k.meta >>> 32); // both ports
        }
        h = mix(h, n.minHi ^ Long.rotateLeft(n.maxHi, 17));
        h = mix(h, n.minLo ^ Long.rotateLeft(n.maxLo, 17));
        h = mix(h, ((long) n.maxPort << 16) | n.minPort);
        h = mix(h, k.meta & 0xffff_ffffL); // zone, protocol, family
        h ^= h >>> 31;
        return (int) (h ^ (h >>> 32));
    }

    private static long mix(long h, long v) {
        h ^= v;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }
}
