package dev.jvswitch.ofproto.xlate;

import dev.jvswitch.mempool.Mbuf;

/**
 * Where the slow path hands packets that a flow sends to the controller (OVS's packet-in
 * hand-off from the upcall handler to {@code connmgr}). Called on a PMD thread during an upcall:
 * an implementation copies what it needs from {@code packet} (which goes on through the datapath
 * afterwards), never blocks, and counts what it cannot take.
 */
@FunctionalInterface
public interface PacketInSink {
    /** No channel: packets to the controller are counted by the upcall handler and dropped. */
    PacketInSink NONE = (packet, out) -> false;

    /**
     * @return false if the packet was not taken (no channel, queue full)
     */
    boolean offer(Mbuf packet, ControllerOutput out);
}
