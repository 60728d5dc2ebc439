package dev.jvswitch.openflow.backend;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.FlowStatsRequest;
import dev.jvswitch.ofproto.mod.ModResult;
import dev.jvswitch.ofproto.mod.OfMod;

/**
 * What the OpenFlow channel needs of the switch for one bridge; the daemon implements it over its
 * ofproto service and its change thread. The channel never changes ofproto from a Netty thread:
 * everything that reads or changes the tables runs in a task given to {@link #submit}, which the
 * daemon runs on the thread that carries out every other change, one at a time, in order.
 *
 * <p><b>Thread-safety:</b> {@link #submit}, {@link #ports} and {@link #derivedDatapathId} are
 * called from the channel's event loop; the other methods only from inside a submitted task.
 */
public interface BridgeBackend {
    /** The bridge's name. */
    String bridge();

    /**
     * Runs {@code task} on the change thread after every task and change submitted before it.
     *
     * @return false (nothing queued) when the change queue is full: the caller retries later
     */
    boolean submit(Runnable task);

    /**
     * Event loop: runs {@code task} here and now, serialised with the change thread as
     * {@link #submit} would, if nothing runs or waits there; otherwise runs nothing. Spares the
     * wake-up of the change thread and the one back to the event loop that flushes the replies.
     *
     * @return whether {@code task} ran (a backend without a change thread of its own: never)
     */
    default boolean runNowIfIdle(Runnable task) {
        return false;
    }

    /**
     * Change thread: applies {@code mods} as one transaction (one version, nothing on failure)
     * and wakes the revalidators without waiting for them, as OVS's flow mods do: the next upcall
     * translates against the new tables at once, and the revalidators fix the megaflows computed
     * from older ones right after (their change barrier's handshake, run on their own).
     *
     * @throws IllegalArgumentException with a one-line reason; nothing changed
     */
    ModResult apply(List<? extends OfMod> mods);

    /** Change thread: the rules {@code request} selects, with their counters. */
    List<FlowStats> flowStats(FlowStatsRequest request);

    /** Change thread: the bridge's groups, by id. */
    List<Group> groups();

    /** Change thread: the bridge's meters, by id. */
    default List<dev.jvswitch.ofproto.meter.MeterEntry> meters() {
        return List.of();
    }

    /** Change thread: the statistics of meter {@code meterId} ({@code Meter.ALL}: every meter), by id. */
    default List<dev.jvswitch.ofproto.meter.MeterStats> meterStats(long meterId) {
        return List.of();
    }

    /** The bridge's ports now, by OpenFlow number. */
    List<PortInfo> ports();

    /**
     * Change thread: a packet-out: runs {@code actions} on {@code packet} as if it came in on
     * OpenFlow port {@code inPort} (a port, {@code CONTROLLER} or {@code LOCAL}), through a PMD.
     *
     * @return the execution: complete once the packet's output has left for its ports (a barrier
     *         after the packet-out waits for it, as OVS runs a packet-out before the next request)
     * @throws IllegalArgumentException with a one-line reason (unknown in_port, no PMD, no mbuf);
     *                                  an {@code InconsistentActionsException} for actions the
     *                                  packet's headers make meaningless ({@code ActionCheck})
     */
    CompletableFuture<Void> packetOut(int inPort, List<OfAction> actions, byte[] packet);

    /**
     * As {@link #packetOut(int, List, byte[])}, the packet starting with the registers, metadata,
     * tunnel and conntrack fields of {@code metadata} (an OpenFlow 1.5 packet-out's match).
     */
    default CompletableFuture<Void> packetOut(int inPort, List<OfAction> actions, byte[] packet,
            dev.jvswitch.ofproto.match.Match metadata) {
        return packetOut(inPort, actions, packet);
    }

    /**
     * Change thread: NXT_RESUME: runs the actions {@code state} kept on {@code packet}, with the
     * registers, metadata, tunnel and conntrack fields of {@code metadata} (and its in_port, else
     * the frozen one), through a PMD.
     *
     * @return the execution, as {@link #packetOut(int, List, byte[])}'s
     * @throws IllegalArgumentException with a one-line reason (no such port, no PMD, no mbuf)
     */
    default CompletableFuture<Void> resume(byte[] packet, dev.jvswitch.ofproto.match.Match metadata,
            dev.jvswitch.ofproto.xlate.FrozenState state) {
        throw new IllegalArgumentException("resume: not supported by this bridge");
    }

    /**
     * Every bridge's TLV map (Geneve options as {@code tun_metadataN}); the channel edits and
     * reads {@link #bridge()}'s. Safe for any thread.
     */
    dev.jvswitch.ofproto.tnl.TlvMaps tlvMaps();

    /**
     * Change thread: deletes the connections of conntrack zone {@code zone} (Nicira's
     * {@code NXT_CT_FLUSH_ZONE}; the datapath's conntrack is shared by every bridge, as in OVS).
     */
    void flushConntrackZone(int zone);

    /** The datapath id the bridge has when the config names none (derived from a MAC, as OVS does). */
    long derivedDatapathId();
}
