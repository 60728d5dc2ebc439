package dev.jvswitch.bench.tables;

import java.util.concurrent.atomic.AtomicLong;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.Ofproto;

/**
 * Two threads that do, while a change runs, what the datapath and the revalidators do with an
 * {@link Ofproto}, and record the longest single call: a translation of a packet (a PMD's upcall:
 * it must never wait for a change) and a rule-expiry pass ({@code Ofproto#expireFlows}, which a
 * revalidator runs at the end of every cycle: it must not queue behind a change).
 *
 * <p><b>Thread-safety:</b> each maximum has one writer (its thread) and is read by the caller
 * after {@link #stop()} joined the threads.
 */
final class Probes {
    private final AtomicLong xlateMaxNs = new AtomicLong();
    private final AtomicLong expireMaxNs = new AtomicLong();
    private volatile boolean running = true;
    private final Thread xlate;
    private final Thread expire;

    private Probes(Ofproto ofproto) {
        xlate = new Thread(() -> {
            FlowKey k = new FlowKey().set(FlowField.IN_PORT, 1).set(FlowField.ETH_TYPE, 0x0800)
                    .set(FlowField.NW_PROTO, 6).set(FlowField.NW_SRC, 0x0a000001L).set(FlowField.NW_DST, 0xac100001L)
                    .set(FlowField.TP_DST, 80);
            while (running) {
                long t0 = System.nanoTime();
                ofproto.upcallHandler().translate(k);
                long d = System.nanoTime() - t0;
                if (d > xlateMaxNs.get()) {
                    xlateMaxNs.set(d);
                }
                Thread.onSpinWait();
            }
        }, "probe-xlate");
        expire = new Thread(() -> {
            while (running) {
                long t0 = System.nanoTime();
                ofproto.expireFlows();
                long d = System.nanoTime() - t0;
                if (d > expireMaxNs.get()) {
                    expireMaxNs.set(d);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "probe-expire");
        xlate.setDaemon(true);
        expire.setDaemon(true);
    }

    static Probes start(Ofproto ofproto) {
        Probes p = new Probes(ofproto);
        p.xlate.start();
        p.expire.start();
        return p;
    }

    /** CPU time both threads used so far, in ns (read while they run: a dead thread has none). */
    long cpuNs() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return Math.max(0, mx.getThreadCpuTime(xlate.getId())) + Math.max(0, mx.getThreadCpuTime(expire.getId()));
    }

    /** Stops both threads; returns the longest translation and expiry pass, in ms. */
    double[] stop() throws InterruptedException {
        running = false;
        xlate.join();
        expire.join();
        return new double[] {xlateMaxNs.get() / 1e6, expireMaxNs.get() / 1e6};
    }
}
