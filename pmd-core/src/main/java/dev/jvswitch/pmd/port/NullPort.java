package dev.jvswitch.pmd.port;

import dev.jvswitch.pmd.netdev.AbstractNetdev;

/**
 * A port that receives nothing and discards what it is sent, counting it as transmitted (tx
 * packets and bytes): the sink of benchmarks and the stand-in for a port that does not matter to
 * a test. After {@link #close()} it counts what it is sent as link-down drops.
 *
 * <p>Options: {@code mac}, {@code mtu}. A benchmark may attach a {@link SinkTap}. One rx queue; as many tx queues as the datapath asks for,
 * each with its own counters, so they need no locking.
 *
 * <p><b>Thread-safety:</b> see {@link AbstractNetdev}; each tx queue has one sender at a time.
 */
public final class NullPort extends AbstractNetdev {
    public static final String TYPE = "null";

    private final SinkTxq[] sinks;

    public NullPort(String name, long mac, int mtu, int txqs) {
        super(name, TYPE, 1, txqs);
        mtu(mtu);
        macAddress(mac);
        addRxq(new EmptyRxq(this, 0));
        sinks = new SinkTxq[txqs];
        for (int i = 0; i < txqs; i++) {
            sinks[i] = addTxq(new SinkTxq(this, i));
        }
    }

    /**
     * Shows {@code tap} every batch the port's tx queues discard (a benchmark's latency probe);
     * {@code null} removes it. Call before any PMD sends on the port.
     */
    public void sinkTap(SinkTap tap) {
        for (SinkTxq q : sinks) {
            q.tap(tap);
        }
    }

    /** A null port with a generated MAC, MTU 1500 and one tx queue. */
    public static NullPort open(String name) {
        return new NullPort(name, PortOptions.generatedMac(name), PortOptions.DEFAULT_MTU, 1);
    }

    @Override
    public boolean txqsNeedLocking() {
        return false;
    }

    @Override
    protected void onClose() {
        // Nothing to release: the queues hold no mbufs.
    }

    @Override
    public String toString() {
        return "NullPort[" + name() + "]";
    }
}
