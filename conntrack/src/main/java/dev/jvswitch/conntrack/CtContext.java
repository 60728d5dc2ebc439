package dev.jvswitch.conntrack;

/**
 * One thread's handle on a {@link Conntrack}: its scratch packet and key, and its counters. A PMD
 * makes one when it starts and passes it to every {@link Conntrack#execute} call, so tracking a
 * packet allocates nothing.
 *
 * <p><b>Thread-safety:</b> used by its owner thread only; the counters are written by the owner
 * with plain stores and read racily by {@link Conntrack#stats} (a reader may see a count a little
 * late, never a torn one: the fields are 64-bit and read with opaque semantics via volatile-free
 * longs on a 64-bit JVM).
 */
public final class CtContext {
    /** Most packets {@link Conntrack#executeBatch} reads ahead (a datapath batch). */
    static final int BATCH = 32;

    final CtPacket packet = new CtPacket();
    /** This thread's mark in the table's pool: each call of the tracker is one stretch. */
    final ConnRegistry.Reader reader;
    final CtKey replyKey = new CtKey();
    /** {@link Conntrack#executeBatch}'s packets, and the first slots their probes load. */
    final CtPacket[] batch = new CtPacket[BATCH];
    final Conn[] heads = new Conn[BATCH];
    /** What the read-ahead loaded, kept so that the loads are not dropped as unused. */
    long touched;

    long packets;
    long invalid;
    long created;
    long fullDrops;
    long zoneLimitDrops;
    long natExhausted;
    private long random = System.nanoTime() | 1;

    CtContext(ConnRegistry.Reader reader) {
        this.reader = reader;
        for (int i = 0; i < BATCH; i++) {
            batch[i] = new CtPacket();
        }
    }

    /** The next value of this thread's xorshift generator (NAT's {@code random} port search). */
    int nextRandom() {
        long x = random;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        random = x;
        return (int) (x >>> 32);
    }
}
