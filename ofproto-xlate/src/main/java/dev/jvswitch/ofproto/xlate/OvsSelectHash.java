package dev.jvswitch.ofproto.xlate;

import java.util.EnumMap;
import java.util.Map;

import dev.jvswitch.flowcache.key.FlowField;

/**
 * The bucket choice of an OVS {@code select} group with {@code selection_method=hash}, bit for
 * bit, so that a fleet mixing OVS and jvswitch sends a connection the same way: OVS hashes the
 * group's fields in its field-id order (not the order written), each as its network-order bytes,
 * with its murmur-based {@code hash_bytes} seeded by {@code hash_uint64(selection_method_param)},
 * then gives every live bucket the score {@code (hash_int(bucket_id, basis) & 0xffff) * weight}
 * and takes the highest, the later bucket on a tie ({@code group_best_live_bucket}).
 *
 * <p>These are OVS's portable hash functions (lib/hash.h without SSE 4.2, as Debian builds it).
 */
final class OvsSelectHash {
    /** Per field: its position in OVS's field-id order and its size in bytes there. */
    private static final Map<FlowField, int[]> MFF = new EnumMap<>(FlowField.class);

    static {
        FlowField[] order = {FlowField.DP_HASH, FlowField.RECIRC_ID, FlowField.CONJ_ID, FlowField.TUN_ID,
            FlowField.TUN_SRC, FlowField.TUN_DST, FlowField.TUN_FLAGS, FlowField.TUN_TTL, FlowField.TUN_TOS,
            FlowField.METADATA, FlowField.IN_PORT, FlowField.ACTSET_OUTPUT, FlowField.SKB_MARK};
        int[] bytes = {4, 4, 4, 8, 4, 4, 2, 1, 1, 8, 2, 4, 4};
        int n = 0;
        for (int i = 0; i < order.length; i++) {
            MFF.put(order[i], new int[] {n++, bytes[i]});
        }
        for (int i = 0; i < 16; i++) {
            MFF.put(FlowField.byName("reg" + i), new int[] {n++, 4});
        }
        for (int i = 0; i < 8; i++) {
            MFF.put(FlowField.byName("xreg" + i), new int[] {n++, 8});
        }
        for (int i = 0; i < 4; i++) {
            MFF.put(FlowField.byName("xxreg" + i), new int[] {n++, 16});
        }
        FlowField[] rest = {FlowField.ETH_SRC, FlowField.ETH_DST, FlowField.ETH_TYPE, FlowField.VLAN_TCI,
            FlowField.NW_SRC, FlowField.NW_DST, FlowField.IPV6_SRC, FlowField.IPV6_DST, FlowField.IPV6_LABEL,
            FlowField.NW_PROTO, FlowField.NW_TOS, FlowField.NW_TTL, FlowField.NW_FRAG, FlowField.ARP_OP,
            FlowField.ARP_SPA, FlowField.ARP_TPA, FlowField.ARP_SHA, FlowField.ARP_THA, FlowField.TP_SRC,
            FlowField.TP_DST, FlowField.TCP_FLAGS, FlowField.ICMP_TYPE, FlowField.ICMP_CODE, FlowField.ICMPV6_TYPE,
            FlowField.ICMPV6_CODE, FlowField.ND_TARGET, FlowField.ND_SLL, FlowField.ND_TLL};
        int[] restBytes = {6, 6, 2, 2, 4, 4, 16, 16, 4, 1, 1, 1, 1, 2, 4, 4, 6, 6, 2, 2, 2, 1, 1, 1, 1, 16, 6, 6};
        for (int i = 0; i < rest.length; i++) {
            MFF.put(rest[i], new int[] {n++, restBytes[i]});
        }
    }

    private OvsSelectHash() {
    }

    /** OVS's field-id rank of {@code f} (fields it has no rank for come last, in table order). */
    static int rank(FlowField f) {
        int[] m = MFF.get(f);
        return m == null ? 1000 + f.ordinal() : m[0];
    }

    /** Bytes OVS hashes for {@code f}. */
    static int bytes(FlowField f) {
        int[] m = MFF.get(f);
        return m == null ? (f.widthBits() + 7) / 8 : m[1];
    }

    /** The basis before any field: {@code hash_uint64(selection_method_param)}. */
    static int basis(long param) {
        return finish(add64(0, param), 8);
    }

    /**
     * {@code hash_bytes} of a field's value as {@code n} network-order bytes ({@code high} holds
     * the upper 64 bits of a 128-bit value).
     */
    static int hashField(int basis, long high, long low, int n) {
        int h = basis;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            h = add(h, byteAt(high, low, n, i) | byteAt(high, low, n, i + 1) << 8
                    | byteAt(high, low, n, i + 2) << 16 | byteAt(high, low, n, i + 3) << 24);
        }
        if (i < n) {
            int tmp = 0;
            for (int k = 0; i + k < n; k++) {
                tmp |= byteAt(high, low, n, i + k) << (8 * k);
            }
            h = add(h, tmp);
        }
        return finish(h, n);
    }

    /** Byte {@code i} (0 = most significant) of an {@code n}-byte big-endian value. */
    private static int byteAt(long high, long low, int n, int i) {
        int fromEnd = n - 1 - i;
        long src = fromEnd >= 8 ? high : low;
        return (int) (src >>> (8 * (fromEnd & 7))) & 0xff;
    }

    /** A bucket's score: {@code (hash_int(bucket_id, basis) & 0xffff) * weight}, unsigned. */
    static long score(long bucketId, int basis, int weight) {
        int h = finish(add(add((int) bucketId, 0), basis), 8);
        return (h & 0xffffL) * weight;
    }

    static int add(int hash, int data) {
        if (data != 0) {
            data *= 0xcc9e2d51;
            data = Integer.rotateLeft(data, 15);
            data *= 0x1b873593;
            hash ^= data;
        }
        hash = Integer.rotateLeft(hash, 13);
        return hash * 5 + 0xe6546b64;
    }

    static int add64(int hash, long data) {
        return add(add(hash, (int) data), (int) (data >>> 32));
    }

    static int finish(int hash, int fin) {
        hash ^= fin;
        hash ^= hash >>> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >>> 13;
        hash *= 0xc2b2ae35;
        hash ^= hash >>> 16;
        return hash;
    }
}
