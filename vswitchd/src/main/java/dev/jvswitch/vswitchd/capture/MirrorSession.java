package dev.jvswitch.vswitchd.capture;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jvswitch.pmd.mirror.PacketTap;

/**
 * One mirror's writer: a thread that opens the output ({@link MirrorOutput}: a pcap file, whose
 * open waits for a FIFO's reader, which is why the thread and not the command opens it; or an
 * interface), drains the mirror's taps into it, flushes after each round that wrote (so a reader
 * such as tcpdump sees packets at once), and stops at {@code max-bytes}, when asked, or when the
 * output fails (a FIFO whose reader left, an interface that went away). Copies an interface had
 * no room for are counted ({@link #refused()}) and the mirror goes on.
 *
 * <p><b>Thread-safety:</b> the writer thread owns the file; {@link #state()}, the counters and
 * {@link #stop()} are for other threads (volatile and atomics).
 */
final class MirrorSession implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(MirrorSession.class);
    /** Records per tap per round. */
    private static final int DRAIN_LIMIT = 1024;
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    final MirrorSpec spec;
    final PacketTap rx;
    final PacketTap tx;
    private final Runnable detach;
    private final long epochOffsetNs;
    private final CountDownLatch opened = new CountDownLatch(1);
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean stopRequested;
    private volatile String state = "opening";
    private final Thread thread;
    private MirrorOutput output;
    private boolean full;
    private IOException failure;
    private final PacketTap.Sink sink = this::onFrame;

    /** @param detach takes the taps off the port (called by the writer thread when it ends) */
    MirrorSession(MirrorSpec spec, PacketTap rx, PacketTap tx, Runnable detach) {
        this.spec = spec;
        this.rx = rx;
        this.tx = tx;
        this.detach = detach;
        this.epochOffsetNs = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        this.thread = new Thread(this, "mirror-" + (spec.name() != null ? spec.name() : spec.port()));
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Waits up to {@code ms} for the file to be open (or to fail); whether it settled. */
    boolean awaitOpen(long ms) throws InterruptedException {
        return opened.await(ms, TimeUnit.MILLISECONDS);
    }

    /** opening, writing, or {@code stopped: why}. */
    String state() {
        return state;
    }

    long frames() {
        return frames.get();
    }

    long bytes() {
        return bytes.get();
    }

    /** Copies the output had no room for (an interface's queue full, down, or under the frame's size). */
    long refused() {
        return refused.get();
    }

    boolean ended() {
        return !thread.isAlive() && state.startsWith("stopped");
    }

    /** Asks the writer to stop and waits (bounded) for it. */
    void stop() {
        stopRequested = true;
        LockSupport.unpark(thread);
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            // Still in the open of a FIFO nobody reads: interrupting does not end that, so the
            // thread is left to finish when a reader comes; the taps are off the port already.
            detach.run();
            state = "stopped: asked (the file's open had not returned)";
        }
    }

    @Override
    public void run() {
        String why = "asked";
        try {
            output = MirrorOutput.open(spec, Math.min(rxOrTx().snaplen(), spec.snaplen()));
            bytes.set(output.headerBytes());
            state = "writing";
            opened.countDown();
            LOG.info("mirror {}: {} to {}", label(), spec.direction(), spec.target());
            while (!stopRequested) {
                int n = drain(rx) + drain(tx);
                if (failure != null) {
                    throw failure;
                }
                if (full) {
                    why = "max-bytes " + spec.maxBytes() + " reached";
                    break;
                }
                if (n > 0) {
                    output.flush();
                } else {
                    LockSupport.parkNanos(IDLE_PARK_NS);
                }
            }
        } catch (IOException | RuntimeException e) {
            why = (spec.file() != null ? "file" : "interface") + " failed: " + e.getMessage();
        } finally {
            detach.run();
            if (output != null) {
                // What the PMDs copied before the taps came off.
                drain(rx);
                drain(tx);
                try {
                    output.close();
                } catch (IOException e) {
                    why = why.equals("asked") ? "file failed: " + e.getMessage() : why;
                }
            }
            state = "stopped: " + why;
            opened.countDown();
            LOG.info("mirror {}: stopped ({}), {} frames, {} bytes", label(), why, frames.get(), bytes.get());
        }
    }

    /** The mirror's name in the log: the config's name, else the port's. */
    private String label() {
        return spec.name() != null ? spec.name() + " (port " + spec.port() + ")" : spec.port();
    }

    private PacketTap rxOrTx() {
        return rx != null ? rx : tx;
    }

    private int drain(PacketTap tap) {
        if (tap == null || full || failure != null) {
            return 0;
        }
        return tap.drain(sink, DRAIN_LIMIT);
    }

    private void onFrame(long nanoTime, int length, DirectBuffer buffer, int offset, int captured) {
        if (full || failure != null) {
            return;
        }
        long record = output.cost(captured);
        if (bytes.get() + record > spec.maxBytes()) {
            full = true;
            return;
        }
        try {
            if (output.write(buffer, offset, captured, length, nanoTime + epochOffsetNs)) {
                frames.incrementAndGet();
                bytes.addAndGet(record);
            } else {
                refused.incrementAndGet();
            }
        } catch (IOException e) {
            failure = e;
        }
    }
}
