package dev.jvswitch.flowcache.hash;

/**
 * The hash functions of the datapath. One definition, used by the fast path (parser, EMC, SMC,
 * dpcls, the {@code hash} action) and by the slow path (select groups): a connection must never
 * be split between two group buckets because two paths hashed it differently.
 *
 * <p>The mixing steps are MurmurHash3's 32-bit round and finaliser, as OVS's {@code hash.h} uses.
 */
public final class FlowHash {
    private FlowHash() {
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
     * left it in the mbuf) combined with the action's basis.
     */
    public static int dpHash(int fiveTupleHash, int basis) {
        return finish(mix(basis, fiveTupleHash), 4);
    }
}
