package dev.jvswitch.conntrack;

import dev.jvswitch.mempool.Mbuf;

/**
 * The fragments of one IP datagram held for reassembly (OVS's {@code ipf_list}): their mbufs with
 * the byte range each covers, whether the first and last were seen, and when the list expires.
 * Once complete it holds the reassembled packet while {@code ct} runs on it, then the ct action
 * it completed in ({@link #owner}, {@link #ownerIndex}) sends the fragments on.
 *
 * <p><b>Thread-safety:</b> guarded by the {@link Ipf}'s monitor.
 */
final class IpfList {
    /** Fragments a list may hold (a 64 KiB datagram in fragments of OVS's 400-byte lower bound). */
    static final int MAX_FRAGS = 170;

    final Key key;
    final long expirationMs;
    Mbuf[] frags = new Mbuf[4];
    int[] start = new int[4];
    int[] end = new int[4];
    int count;
    /** Fragments already sent on (a complete list sends as many as a batch has room for). */
    int sent;
    boolean firstSeen;
    boolean lastSeen;
    /** Payload bytes of the whole datagram, known once the last fragment is seen. */
    int totalPayload;
    boolean complete;
    Mbuf reassembled;
    Object owner;
    int ownerIndex;

    /**
     * What tells one datagram's fragments from another's (OVS's {@code ipf_list_key}): addresses,
     * IP id, protocol, zone and recirculation id, per family.
     */
    record Key(boolean v6, long srcHi, long srcLo, long dstHi, long dstLo, int id, int proto, int zone, int recircId) {
    }

    IpfList(Key key, long expirationMs) {
        this.key = key;
        this.expirationMs = expirationMs;
    }

    /** True when {@code [s, e]} overlaps a fragment already held (OVS's {@code ipf_is_frag_duped}). */
    boolean overlaps(int s, int e) {
        for (int i = 0; i < count; i++) {
            if (s <= end[i] && e >= start[i]) {
                return true;
            }
        }
        return false;
    }

    void add(Mbuf m, int s, int e) {
        if (count == frags.length) {
            int n = Math.min(MAX_FRAGS, count * 2);
            frags = java.util.Arrays.copyOf(frags, n);
            start = java.util.Arrays.copyOf(start, n);
            end = java.util.Arrays.copyOf(end, n);
        }
        frags[count] = m;
        start[count] = s;
        end[count] = e;
        count++;
    }

    /** True when the first and last are here and the fragments cover every byte between once. */
    boolean covered() {
        if (!firstSeen || !lastSeen) {
            return false;
        }
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            bytes += end[i] - start[i] + 1;
        }
        // No two fragments overlap (checked on add), so covering every byte is a count.
        return bytes == totalPayload;
    }

    /** The index of the fragment that starts at 0. */
    int firstIndex() {
        for (int i = 0; i < count; i++) {
            if (start[i] == 0) {
                return i;
            }
        }
        throw new IllegalStateException("no first fragment");
    }
}
