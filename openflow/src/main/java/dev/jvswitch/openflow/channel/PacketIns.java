package dev.jvswitch.openflow.channel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import io.netty.channel.EventLoop;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.ofproto.xlate.ControllerOutput;

/**
 * One bridge's packet-in hand-off from the PMDs to the channel: a bounded many-to-one queue of
 * copies (at most {@code maxLen} bytes of each packet), drained on the event loop, which sends each
 * to the connections that want it under their rate limits.
 *
 * <p><b>Never blocks a PMD:</b> {@link #offer} copies, offers (a full queue is a counted drop),
 * and schedules one drain on the event loop only when none is pending, so a burst costs one
 * wake-up.
 *
 * <p><b>Thread-safety:</b> {@link #offer} from any PMD thread; {@code drain} on the event loop.
 * The queue is Agrona's many-to-one (offer release, poll acquire); {@code drainPending} makes sure
 * one drain is scheduled at a time; counters are atomics.
 */
final class PacketIns {
    static final int CAPACITY = 1024;

    /** A packet on its way to the controllers. */
    record PacketIn(byte[] data, int totalLen, ControllerOutput out) {
    }

    private final ManyToOneConcurrentArrayQueue<PacketIn> queue = new ManyToOneConcurrentArrayQueue<>(CAPACITY);
    private final AtomicBoolean drainPending = new AtomicBoolean();
    private final AtomicLong queueDrops = new AtomicLong();
    private final EventLoop loop;
    private final Runnable drain;

    PacketIns(EventLoop loop, java.util.function.Consumer<PacketIn> sink) {
        this.loop = loop;
        this.drain = () -> {
            drainPending.set(false);
            PacketIn p;
            int n = 0;
            while (n < CAPACITY && (p = queue.poll()) != null) {
                sink.accept(p);
                n++;
            }
            if (!queue.isEmpty()) {
                schedule();
            }
        };
    }

    /** PMD thread: a copy of {@code m} for the controllers; false (counted) if the queue is full. */
    boolean offer(Mbuf m, ControllerOutput out) {
        int total = m.length();
        int len = Math.min(total, out.maxLen());
        byte[] data = new byte[len];
        m.buffer().getBytes(m.dataOffset(), data, 0, len);
        if (!queue.offer(new PacketIn(data, total, out))) {
            queueDrops.incrementAndGet();
            return false;
        }
        schedule();
        return true;
    }

    /** Event loop: hands a packet-out's own packet-ins to the same path. */
    boolean offer(byte[] packet, ControllerOutput out) {
        int len = Math.min(packet.length, out.maxLen());
        if (!queue.offer(new PacketIn(java.util.Arrays.copyOf(packet, len), packet.length, out))) {
            queueDrops.incrementAndGet();
            return false;
        }
        schedule();
        return true;
    }

    private void schedule() {
        if (drainPending.compareAndSet(false, true)) {
            loop.execute(drain);
        }
    }

    long queueDrops() {
        return queueDrops.get();
    }
}
