package dev.jvswitch.ofproto.xlate;

import java.util.Arrays;
import java.util.List;

import dev.jvswitch.ofproto.bridge.Bond;
import dev.jvswitch.ofproto.bridge.BondHit;

/**
 * The balance-slb outputs one translation made (bond, bucket, member), in parallel arrays reused
 * from one translation to the next, turned into {@link BondHit}s only when the result is kept.
 *
 * <p><b>Thread-safety:</b> part of an {@link XlateContext}, which one translating thread owns.
 */
final class BondHits {
    private Bond[] bond = new Bond[2];
    private int[] bucket = new int[2];
    private int[] member = new int[2];
    private int count;

    /** Forgets every entry (and the bonds they held). */
    void clear() {
        Arrays.fill(bond, 0, count, null);
        count = 0;
    }

    void add(Bond b, int bucketIndex, int ofPort) {
        for (int i = 0; i < count; i++) {
            if (bond[i] == b && bucket[i] == bucketIndex) {
                // A flood and a resubmit may pass the same bucket twice: its bytes count once.
                return;
            }
        }
        if (count == bond.length) {
            bond = Arrays.copyOf(bond, count * 2);
            bucket = Arrays.copyOf(bucket, count * 2);
            member = Arrays.copyOf(member, count * 2);
        }
        bond[count] = b;
        bucket[count] = bucketIndex;
        member[count++] = ofPort;
    }

    /** Counts the bytes of a packet no megaflow will count to every bucket it went through. */
    void credit(long bytes) {
        for (int i = 0; i < count; i++) {
            if (bond[i].balanced()) {
                bond[i].buckets().account(bucket[i], bytes);
            }
        }
    }

    /** The entries as records, in the order added (the shared empty list when there are none). */
    List<BondHit> toList() {
        if (count == 0) {
            return List.of();
        }
        BondHit[] out = new BondHit[count];
        for (int i = 0; i < count; i++) {
            out[i] = new BondHit(bond[i], bucket[i], member[i]);
        }
        return List.of(out);
    }
}
