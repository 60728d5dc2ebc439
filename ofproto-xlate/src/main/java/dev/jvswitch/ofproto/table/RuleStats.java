package dev.jvswitch.ofproto.table;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The packet and byte counters and last-used time of one OpenFlow rule. A {@link Rule} is
 * immutable, but its statistics live here, shared by every version of the rule: a
 * {@code modify} that keeps the rule makes a new {@code Rule} with new actions and the same
 * {@code RuleStats}, so counters carry over, as in OVS.
 *
 * <p><b>Thread-safety:</b> written by the revalidator threads (each pushes the delta of the
 * megaflows it attributes to the rule) and by translation in PMD threads; read by the control
 * thread (dump-flows, idle timeouts). Packets and bytes are {@link LongAdder}s, so concurrent adds
 * never lose an update and never contend on one cache line; a read sums the cells and is not an
 * atomic snapshot of both counters. {@code lastUsedNs} only moves forward
 * ({@link AtomicLong#accumulateAndGet} with {@code max}), so a late push of old statistics never
 * makes a busy rule look idle.
 */
public final class RuleStats {
    private final LongAdder packets = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final AtomicLong lastUsedNs;

    /** Fresh counters; the rule counts as used at {@code createdNs} (so idle time starts then). */
    public RuleStats(long createdNs) {
        this.lastUsedNs = new AtomicLong(createdNs);
    }

    /** Adds {@code packetCount} packets of {@code byteCount} bytes, seen last at {@code usedNs}. */
    public void add(long packetCount, long byteCount, long usedNs) {
        if (packetCount != 0) {
            packets.add(packetCount);
        }
        if (byteCount != 0) {
            bytes.add(byteCount);
        }
        lastUsedNs.accumulateAndGet(usedNs, Math::max);
    }

    /** Marks the rule used at {@code usedNs} without counting packets (e.g. at translation). */
    public void touch(long usedNs) {
        lastUsedNs.accumulateAndGet(usedNs, Math::max);
    }

    public long packets() {
        return packets.sum();
    }

    public long bytes() {
        return bytes.sum();
    }

    public long lastUsedNs() {
        return lastUsedNs.get();
    }
}
