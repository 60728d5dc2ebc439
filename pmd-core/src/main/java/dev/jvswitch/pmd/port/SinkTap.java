package dev.jvswitch.pmd.port;

import dev.jvswitch.mempool.PacketBatch;

/**
 * Sees every batch a {@link NullPort} discards, just before its mbufs go back to the pool: a
 * benchmark's hook to read what the replaying port stamped on each frame. Without one, the port
 * only counts.
 *
 * <p><b>Thread-safety:</b> called by the PMD sending on the port's tx queue, one sender at a
 * time; set with {@link NullPort#sinkTap} before any PMD sends on the port.
 */
@FunctionalInterface
public interface SinkTap {
    /** {@code batch} is about to be freed; the tap must not keep or change its mbufs. */
    void onSink(PacketBatch batch);
}
