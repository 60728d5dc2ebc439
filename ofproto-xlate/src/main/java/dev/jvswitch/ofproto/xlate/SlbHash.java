package dev.jvswitch.ofproto.xlate;

import dev.jvswitch.ofproto.bridge.SlbBuckets;

/**
 * The bucket of a balance-slb bond a source MAC and VLAN fall in, bit for bit OVS's
 * {@code hash_mac(mac, vlan, basis) & BOND_MASK} (its portable murmur hash of the VLAN above the
 * 48-bit MAC, as Debian builds it), so that {@code bond/show} and {@code bond/hash} name the same
 * hashes as OVS's for the same hosts.
 *
 * <p>Stateless.
 */
public final class SlbHash {
    private SlbHash() {
    }

    /** The bucket, 0..{@value SlbBuckets#BUCKETS}-1, of {@code mac} in {@code vlan}, with hash basis {@code basis}. */
    public static int bucket(long mac, int vlan, int basis) {
        long word = ((long) (vlan & 0xffff) << 48) | (mac & 0xffff_ffff_ffffL);
        return OvsSelectHash.finish(OvsSelectHash.add64(basis, word), 8) & (SlbBuckets.BUCKETS - 1);
    }
}
