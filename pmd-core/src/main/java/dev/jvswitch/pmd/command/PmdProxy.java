package dev.jvswitch.pmd.command;

import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import dev.jvswitch.pmd.PmdAgent;

/**
 * Carries commands from control threads to one PMD through a bounded MPSC queue (Aeron's
 * {@code SenderProxy} pattern). A full queue is reported to the caller and counted, never waited
 * on while holding anything the PMD might need.
 *
 * <p><b>Thread-safety:</b> {@link #offer} from any thread; {@link #drain} from the PMD only.
 */
public final class PmdProxy {
    private final ManyToOneConcurrentArrayQueue<PmdCommand> queue;
    private final AtomicLong failedOffers = new AtomicLong();

    public PmdProxy(int capacity) {
        this.queue = new ManyToOneConcurrentArrayQueue<>(capacity);
    }

    /** Queues {@code command}; false (and counted) if the queue is full. */
    public boolean offer(PmdCommand command) {
        if (queue.offer(command)) {
            return true;
        }
        failedOffers.incrementAndGet();
        return false;
    }

    /** PMD thread: runs up to {@code limit} queued commands; returns how many ran. */
    public int drain(PmdAgent pmd, int limit) {
        int n = 0;
        PmdCommand c;
        while (n < limit && (c = queue.poll()) != null) {
            c.execute(pmd);
            n++;
        }
        return n;
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    public long failedOffers() {
        return failedOffers.get();
    }
}
