package dev.jvswitch.ofproto.xlate;

/**
 * Hands out recirculation ids for frozen translations and finds the state again when the
 * recirculated packet misses (OVS's {@code recirc_alloc_id_ctx} / {@code recirc_id_node_find}).
 * The registry is {@code dev.jvswitch.ofproto.upcall.RecircRegistry}.
 *
 * <p><b>Thread-safety:</b> called by every PMD thread; implementations are concurrent.
 */
public interface RecircAllocator {
    /** The id for {@code state}: the same id for equal states, never 0. */
    int recircId(FrozenState state);

    /** The state of {@code recircId}, or null if there is none (unknown or retired). */
    FrozenState frozenState(int recircId);
}
