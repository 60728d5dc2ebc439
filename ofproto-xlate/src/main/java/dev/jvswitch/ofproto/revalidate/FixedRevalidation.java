package dev.jvswitch.ofproto.revalidate;

import java.util.concurrent.atomic.LongAdder;

import dev.jvswitch.pmd.flow.Ukey;

/**
 * The revalidation of a datapath with no OpenFlow tables behind it (its upcall handler is a
 * fixed map such as {@link dev.jvswitch.pmd.upcall.PortMapUpcallHandler}): the version never
 * changes, so nothing is ever revalidated, and statistics are only summed. Idle expiry and the
 * flow limit still apply. The benchmarks use it until the slow path is wired in.
 *
 * <p><b>Thread-safety:</b> the sums are {@link LongAdder}s; any thread may call anything.
 */
public final class FixedRevalidation implements Revalidation {
    private final LongAdder packets = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    @Override
    public long revalSeq() {
        return 0;
    }

    @Override
    public RevalidateResult revalidate(Ukey ukey) {
        return RevalidateResult.KEEP;
    }

    @Override
    public void pushStats(Ukey ukey, long packetsDelta, long bytesDelta, long usedMs, int tcpFlags) {
        packets.add(packetsDelta);
        bytes.add(bytesDelta);
    }

    /** Packets pushed so far, over every flow. */
    public long packets() {
        return packets.sum();
    }

    /** Bytes pushed so far, over every flow. */
    public long bytes() {
        return bytes.sum();
    }
}
