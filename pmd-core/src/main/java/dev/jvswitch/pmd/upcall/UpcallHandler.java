package dev.jvswitch.pmd.upcall;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.mempool.Mbuf;

/**
 * What the datapath calls when a packet misses both the EMC and the megaflow classifier (OVS's
 * {@code dp_netdev_upcall}). The datapath knows nothing of OpenFlow: the slow path (ofproto)
 * implements this, translating the packet into a datapath action program and a megaflow mask.
 *
 * <p><b>Thread-safety:</b> called on the PMD thread that received the packet, by several PMDs at
 * once. Implementations read an immutable snapshot of their tables and must not block on a lock
 * the control thread may hold for long. They must not keep references to {@code key},
 * {@code packet} or {@code result} past the call.
 */
public interface UpcallHandler {
    /**
     * Translates the missed packet.
     *
     * @param pmdId  the calling PMD
     * @param key    the packet's parsed flow key (read-only)
     * @param packet the packet (read-only; the datapath executes the actions on it afterwards)
     * @param result cleared by the caller; the handler sets actions, ORs into the mask every field
     *               it looked at, and may mark the result not installable
     * @return the outcome; on anything but {@link UpcallOutcome#OK} the packet is dropped
     */
    UpcallOutcome onUpcall(int pmdId, FlowKey key, Mbuf packet, UpcallResult result);

    /**
     * The datapath did not install the flow {@code result} describes because it is at its flow
     * limit, and executes the actions on this one packet only. No megaflow will count the packet,
     * so the slow path credits the rules it used ({@code result.ukeyData()}) with it here, as OVS
     * does for the packets of upcalls it does not install. Called on the PMD thread right after
     * {@link #onUpcall}; {@code packet} and {@code result} are read-only and not to be kept.
     */
    default void onNotInstalled(int pmdId, Mbuf packet, UpcallResult result) {
    }
}
