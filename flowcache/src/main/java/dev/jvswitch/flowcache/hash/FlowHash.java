package dev.jvswitch.flowcache.hash;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;

/**
 * The hash functions of the datapath. One definition, used by the fast path (parser, EMC, SMC,
 * dpcls, the {@code hash} action) and by the slow path (select groups): a connection must never
 * be split between two group buckets because two paths hashed it differently.
 *
 * <p>The mixing steps are MurmurHash3's 32-bit round and finaliser, as OVS's {@code hash.h} uses.
 */
public final class FlowHash {
    /** Seed of {@link #hash5}; any constant works, it only has to be the same everywhere. */
    private static final int HASH5_BASIS = 0x6a09e667;

    private static final int W_ETH_TYPE = FlowField.ETH_TYPE.word();
    private static final int S_ETH_TYPE = FlowField.ETH_TYPE.shift();
    private static final int W_ETH_SRC = FlowField.ETH_SRC.word();
    private static final int S_ETH_SRC = FlowField.ETH_SRC.shift();
    private static final int W_ETH_DST = FlowField.ETH_DST.word();
    private static final int S_ETH_DST = FlowField.ETH_DST.shift();
    private static final int W_NW_SRC = FlowField.NW_SRC.word();
    private static final int S_NW_SRC = FlowField.NW_SRC.shift();
    private static final int W_NW_DST = FlowField.NW_DST.word();
    private static final int S_NW_DST = FlowField.NW_DST.shift();
    private static final int W_NW_PROTO = FlowField.NW_PROTO.word();
    private static final int S_NW_PROTO = FlowField.NW_PROTO.shift();
    private static final int W_NW_FRAG = FlowField.NW_FRAG.word();
    private static final int S_NW_FRAG = FlowField.NW_FRAG.shift();
    private static final int W_IPV6_SRC = FlowField.IPV6_SRC.word();
    private static final int W_IPV6_DST = FlowField.IPV6_DST.word();
    private static final int W_TP_SRC = FlowField.TP_SRC.word();
    private static final int S_TP_SRC = FlowField.TP_SRC.shift();
    private static final int W_TP_DST = FlowField.TP_DST.word();
    private static final int S_TP_DST = FlowField.TP_DST.shift();

    private FlowHash() {
    }

    /**
     * The packet's 5-tuple hash, computed from its parsed key. The parser stores it in the mbuf
     * ({@code rssHash}); every later user of a packet hash (EMC/SMC index, the {@code hash}
     * action through {@link #dpHash}, select groups) starts from this value, never from its own.
     *
     * <ul>
     *   <li>IPv4: source and destination address, then {@code nw_proto} and both ports.</li>
     *   <li>IPv6: all four 64-bit address words, then {@code nw_proto} and both ports.</li>
     *   <li>An IP fragment (first or later) hashes its addresses only, as NICs' RSS does, so that
     *       every fragment of a datagram gets the same hash even though only the first carries
     *       ports and IPv6 later fragments report {@code nw_proto} 44.</li>
     *   <li>Anything else (ARP, non-IP, runts): Ethernet source, destination and type.</li>
     * </ul>
     *
     * <p>ICMP type and code count as ports (they live in {@code tp_src}/{@code tp_dst}). The hash
     * is direction-sensitive, as OVS's software RSS hash is. Allocation-free.
     */
    public static int hash5(FlowKey key) {
        long[] w = key.words();
        int ethType = (int) (w[W_ETH_TYPE] >>> S_ETH_TYPE) & 0xffff;
        int h;
        int lengthBytes;
        if (ethType == FlowKey.ETH_TYPE_IPV4) {
            h = mix(HASH5_BASIS, (int) (w[W_NW_SRC] >>> S_NW_SRC));
            h = mix(h, (int) (w[W_NW_DST] >>> S_NW_DST));
            lengthBytes = 8;
        } else if (ethType == FlowKey.ETH_TYPE_IPV6) {
            h = mix64(HASH5_BASIS, w[W_IPV6_SRC]);
            h = mix64(h, w[W_IPV6_SRC + 1]);
            h = mix64(h, w[W_IPV6_DST]);
            h = mix64(h, w[W_IPV6_DST + 1]);
            lengthBytes = 32;
        } else {
            h = mix(HASH5_BASIS, ethType);
            h = mix64(h, (w[W_ETH_SRC] >>> S_ETH_SRC) & 0xffff_ffff_ffffL);
            h = mix64(h, (w[W_ETH_DST] >>> S_ETH_DST) & 0xffff_ffff_ffffL);
            return finish(h, 16);
        }
        if (((w[W_NW_FRAG] >>> S_NW_FRAG) & (FlowKey.FRAG_ANY | FlowKey.FRAG_LATER)) == 0) {
            h = mix(h, (int) (w[W_NW_PROTO] >>> S_NW_PROTO) & 0xff);
            int ports = (int) ((w[W_TP_SRC] >>> S_TP_SRC) & 0xffff) << 16 | (int) ((w[W_TP_DST] >>> S_TP_DST) & 0xffff);
            h = mix(h, ports);
            lengthBytes += 8;
        }
        return finish(h, lengthBytes);
    }

    /**
     * The slot hash of an IPv4 key in the EMC and SMC, before {@link #emcHash}: the address word,
     * the protocol word ({@code nw_proto}, tos, ttl, frag) and the port word (ports, TCP flags),
     * each multiplied by its own odd constant, folded and multiplied once more. Every input bit
     * reaches the 32 bits returned, which is all a slot index needs; it is about a third of
     * {@link #hash5}'s work, so a lookup need not compute the 5-tuple hash that most packets'
     * actions never read (the PMD computes that only for a flow whose actions do:
     * {@code DpActions.needsRssHash()}). It is no packet hash: nothing outside the caches sees it.
     */
    public static int ipv4SlotHash(FlowKey key) {
        long[] w = key.words();
        long x = w[W_NW_SRC] * 0x9e3779b97f4a7c15L ^ w[W_NW_PROTO] * 0xc2b2ae3d27d4eb4fL
                ^ w[W_TP_SRC] * 0x165667b19e3779f9L;
        x ^= x >>> 32;
        return (int) (x * 0xd6e8feb86659fd93L >>> 32);
    }

    /** A key's slot hash, as the parser takes it: {@link #ipv4SlotHash} for IPv4, else {@link #hash5}. */
    public static int slotHash(FlowKey key) {
        return key.ethType() == FlowKey.ETH_TYPE_IPV4 ? ipv4SlotHash(key) : hash5(key);
    }

    /**
     * The hash that indexes the EMC and SMC ({@code FlowKey.hash()}): the slot hash (the 5-tuple
     * hash, or {@link #ipv4SlotHash} for IPv4), mixed with
     * {@code recirc_id} when that is non-zero, so that a recirculated packet (same headers, new
     * recirc_id) lands in a different EMC slot from its first pass instead of evicting it.
     * Packets that were never recirculated keep the slot hash as it is.
     */
    public static int emcHash(int slotHash, int recircId) {
        return recircId == 0 ? slotHash : finish(mix(slotHash, recircId), 4);
    }

    /**
     * {@link #emcHash(int, int)} with the recirculation depth folded in, as OVS mixes it into a
     * recirculated packet's hash: a packet popped from a tunnel keeps recirc_id 0 and often the
     * 5-tuple of packets that arrive plain, and would otherwise take the same two EMC slots as
     * they do and evict them. A multiple of the golden ratio, XORed, moves both slot indices at
     * the cost of one multiply; depth 0 leaves the hash as it was.
     */
    public static int emcHash(int slotHash, int recircId, int recircDepth) {
        return emcHash(slotHash, recircId) ^ recircDepth * 0x9e3779b9;
    }

    /** Mixes 32 bits of data into {@code hash}. */
    public static int mix(int hash, int data) {
        int k = data * 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15) * 0x1b873593;
        hash ^= k;
        return Integer.rotateLeft(hash, 13) * 5 + 0xe6546b64;
    }

    /** Mixes 64 bits of data into {@code hash} (low half first). */
    public static int mix64(int hash, long data) {
        return mix(mix(hash, (int) data), (int) (data >>> 32));
    }

    /** Finishes a hash over {@code lengthBytes} bytes of mixed data. */
    public static int finish(int hash, int lengthBytes) {
        hash ^= lengthBytes;
        hash ^= hash >>> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >>> 13;
        hash *= 0xc2b2ae35;
        return hash ^ (hash >>> 16);
    }

    /**
     * The value the {@code hash} datapath action stores in {@code dp_hash}, and that a
     * {@code dp_hash} select group is translated against: the packet's 5-tuple hash (as the parser
     * left it in the mbuf) combined with the action's basis. Never 0: translation reads a
     * {@code dp_hash} of 0 as "not computed" (as OVS does), so a hash that came out 0 is 1.
     */
    public static int dpHash(int fiveTupleHash, int basis) {
        int h = finish(mix(basis, fiveTupleHash), 4);
        return h == 0 ? 1 : h;
    }
}
