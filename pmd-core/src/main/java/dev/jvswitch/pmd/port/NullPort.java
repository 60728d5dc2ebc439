package dev.jvswitch.pmd.port;

import dev.jvswitch.pmd.netdev.NetdevRxq;
import dev.jvswitch.pmd.netdev.NetdevTxq;

/**
 * A port that receives nothing and discards what it is sent, counting it as transmitted (tx
 * packets and bytes): the sink of benchmarks and the stand-in for a port that does not matter to
 * a test. After {@link #close()} it counts what it is sent as link-down drops.
 *
 * <p>Options: {@code mac}, {@code mtu}. One rx queue; as many tx queues as the datapath asks for,
 * each with its own counters, so they need no locking.
 *
 * <p><b>Thread-safety:</b> see {@link MemoryPort}; each tx queue has one sender at a time.
 */
public final class NullPort extends MemoryPort {
    public static final String TYPE = "null";

    private final NetdevRxq rxq;
    private final NetdevTxq[] txqs;

    public NullPort(String name, long mac, int mtu, int txqs) {
        super(name, TYPE, mac, mtu, 1, txqs);
        this.rxq = new EmptyRxq(this, 0);
        this.txqs = new NetdevTxq[txqs];
        for (int i = 0; i < txqs; i++) {
            this.txqs[i] = new SinkTxq(this, i);
        }
    }

    /** A null port with a generated MAC, MTU 1500 and one tx queue. */
    public static NullPort open(String name) {
        return new NullPort(name, PortOptions.generatedMac(name), PortOptions.DEFAULT_MTU, 1);
    }

    @Override
    public NetdevRxq rxq(int id) {
        if (id != 0) {
            throw new IndexOutOfBoundsException("port " + name() + ": rxq " + id + " of 1");
        }
        return rxq;
    }

    @Override
    public NetdevTxq txq(int id) {
        return txqs[id];
    }

    @Override
    public boolean txqsNeedLocking() {
        return false;
    }

    @Override
    public boolean linkUp() {
        return isOpen();
    }

    @Override
    public synchronized void close() {
        markClosed();
    }

    @Override
    public String toString() {
        return "NullPort[" + name() + "]";
    }
}
