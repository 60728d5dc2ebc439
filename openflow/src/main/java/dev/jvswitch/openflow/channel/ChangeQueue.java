package dev.jvswitch.openflow.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.projectfloodlight.openflow.protocol.OFMessage;

import io.netty.channel.Channel;

import dev.jvswitch.openflow.backend.BridgeBackend;

/**
 * One connection's requests on their way to the change thread, in arrival order: the event loop
 * {@link #offer}s them as it decodes a read and hands them over at its end ({@link #readComplete});
 * one drain task at a time runs on the change thread
 * ({@link BridgeBackend#submit}), or in place on the event loop when the change thread is idle
 * ({@link BridgeBackend#runNowIfIdle}), and handles up to {@value #BATCH} requests before it gives the
 * thread back to other changes. A connection holds at most one slot of the change queue.
 *
 * <p><b>Back-pressure:</b> above {@value #HIGH} pending requests the channel stops reading (the
 * peer's TCP window fills, memory stays bounded); below {@value #LOW} it reads again. When the
 * change queue is full, the drain is retried from the event loop a millisecond later.
 *
 * <p>At debug ({@code vlog/set connmgr:dbg}) each batch is logged with its requests' types and
 * xids and how long the change thread took, so a controller's timeline can be read against ours.
 *
 * <p><b>Thread-safety:</b> {@link #offer} and {@link #readComplete} on the event loop; {@code drain}
 * on the change thread, or on the event loop while the backend holds the change thread off.
 * {@code pending} is a concurrent queue; {@code scheduled} makes sure one drain runs at a time
 * (set by whoever schedules, cleared by the drain before it looks for more work).
 */
final class ChangeQueue {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("openflow");
    static final int BATCH = 512;
    static final int HIGH = 8_192;
    static final int LOW = 1_024;

    private final Channel channel;
    private final BridgeBackend backend;
    private final Consumer<List<Object>> handler;
    private final List<Object> batch = new ArrayList<>(BATCH);
    private final Runnable afterBatch;
    private final ConcurrentLinkedQueue<Object> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /**
     * @param handler    handles a batch of requests, in order, on the change thread
     * @param afterBatch runs on the change thread after each batch (flushes the replies)
     */
    ChangeQueue(Channel channel, BridgeBackend backend, Consumer<List<Object>> handler, Runnable afterBatch) {
        this.channel = channel;
        this.backend = backend;
        this.handler = handler;
        this.afterBatch = afterBatch;
    }

    /**
     * Event loop: queue {@code m} (an {@link OFMessage} or a hand-decoded request) behind the
     * earlier ones. The change thread is given them at the end of the read ({@link #readComplete}),
     * or at once when a batch is waiting: one hand-off (and wake-up) per read, not per message.
     */
    void offer(Object m) {
        pending.add(m);
        int n = size.incrementAndGet();
        if (n >= HIGH && channel.config().isAutoRead()) {
            channel.config().setAutoRead(false);
        }
        if (n >= BATCH) {
            schedule();
        }
    }

    /**
     * Event loop, at the end of a read: runs what it queued here if the change thread is idle
     * ({@link BridgeBackend#runNowIfIdle}: the replies are flushed from here, at once), else hands
     * it to the change thread.
     */
    void readComplete() {
        if (!pending.isEmpty() && scheduled.compareAndSet(false, true)) {
            if (!backend.runNowIfIdle(this::drain)) {
                scheduled.set(false);
                schedule();
            }
        }
    }

    /** {@code N request(s): TYPE/XID ...} (the first eight) for the debug log. */
    private static String describe(List<Object> batch) {
        StringBuilder b = new StringBuilder();
        b.append(batch.size()).append(" request(s):");
        int n = 0;
        for (Object o : batch) {
            if (n++ == 8) {
                b.append(" ...");
                break;
            }
            b.append(' ');
            b.append(o instanceof OFMessage m ? m.getType() + "/" + m.getXid() : o.getClass().getSimpleName());
        }
        return b.toString();
    }

    /** Requests not yet handled. */
    int pending() {
        return size.get();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            if (!backend.submit(this::drain)) {
                scheduled.set(false);
                channel.eventLoop().schedule(this::schedule, 1, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void drain() {
        Object m;
        batch.clear();
        while (batch.size() < BATCH && (m = pending.poll()) != null) {
            size.decrementAndGet();
            batch.add(m);
        }
        if (channel.isActive() && !batch.isEmpty()) {
            long t0 = System.nanoTime();
            String what = LOG.isDebugEnabled() ? describe(batch) : null;
            handler.accept(batch);
            if (what != null) {
                LOG.debug("{}: handled {} in {} us", backend.bridge(), what, (System.nanoTime() - t0) / 1000);
            }
        }
        batch.clear();
        afterBatch.run();
        if (size.get() < LOW && !channel.config().isAutoRead() && channel.isActive()) {
            channel.config().setAutoRead(true);
        }
        scheduled.set(false);
        if (!pending.isEmpty()) {
            schedule();
        }
    }
}
