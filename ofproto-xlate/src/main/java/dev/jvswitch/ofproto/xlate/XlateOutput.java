package dev.jvswitch.ofproto.xlate;

import java.util.Arrays;
import java.util.List;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.mac.MacDependency;
import dev.jvswitch.ofproto.mac.MacLearning;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.tnl.NeighbourCache;
import dev.jvswitch.ofproto.tnl.PacketOut;

/**
 * The answer of the last translation on one thread ({@link Xlate#translateUpcall}), read in place:
 * the same object for every translation of the thread, valid until its next one. Reading the
 * program, mask, error and rules allocates nothing; the methods that return lists or arrays make
 * copies for a caller that keeps them (a ukey being installed).
 *
 * <p>{@link #serial()} numbers the translations of the thread, so that a caller holding on to this
 * view can tell that it has been reused since.
 *
 * <p><b>Thread-safety:</b> confined to the thread that translated.
 */
public final class XlateOutput {
    private final XlateContext c;
    private final FlowMask mask = new FlowMask();
    private DpActions actions;
    private long serial;

    XlateOutput(XlateContext c) {
        this.c = c;
    }

    /** Called by {@link Xlate} at the end of each translation. */
    void finish(DpActions program) {
        actions = program;
        serial++;
    }

    /** The mask, written by {@link Xlate} at the end of each translation. */
    FlowMask maskToFill() {
        return mask;
    }

    /** Translations finished on this thread so far; changes with every one. */
    public long serial() {
        return serial;
    }

    /** The program to run and install ({@link DpActions#DROP} on error); shared, immutable. */
    public DpActions actions() {
        return actions;
    }

    /** The megaflow mask (in_port and recirc_id exact). Read only; rewritten by the next translation. */
    public FlowMask mask() {
        return mask;
    }

    /** Null, or why the translation failed. */
    public XlateError error() {
        return c.error;
    }

    /** The version of the snapshot translated against. */
    public long snapshotVersion() {
        return c.snapshot.version();
    }

    /** True if the flow must not be installed (it sends to the controller). */
    public boolean slowPath() {
        return c.slowPath;
    }

    /** True if the actions send to the controller (one reason for {@link #slowPath()}). */
    public boolean toController() {
        return !c.controllerOutputs.isEmpty();
    }

    /**
     * Packets the switch sends because of this packet (ARP/ND for a tunnel's next hop, replies
     * for its own address): the shared empty list unless there are some, which are the caller's.
     */
    public List<PacketOut> packetOuts() {
        return c.packetOuts.isEmpty() ? List.of() : List.copyOf(c.packetOuts);
    }

    /** The next hop the translation of a packet really sent missed (the upcall may hold the packet), or null. */
    public NeighbourCache.Probe awaitingNeighbour() {
        return c.tunnelScratch().awaitingNeighbour();
    }

    /** Rules whose actions ran. */
    public int ruleCount() {
        return c.rules.size();
    }

    public Rule rule(int i) {
        return c.rules.get(i);
    }

    /** Adds a packet count to every rule that ran (statistics of a packet no megaflow will count). */
    public void creditRules(long packets, long bytes, long usedNs) {
        List<Rule> rules = c.rules;
        for (int i = 0, n = rules.size(); i < n; i++) {
            rules.get(i).stats().add(packets, bytes, usedNs);
        }
        List<dev.jvswitch.ofproto.group.Group> groups = c.groupHits;
        for (int i = 0, n = groups.size(); i < n; i++) {
            groups.get(i).stats().add(c.groupHitBuckets[i], packets, bytes);
        }
        c.bondHits.credit(bytes);
    }

    /** A copy of the balance-slb buckets the packet left through. */
    public List<dev.jvswitch.ofproto.bridge.BondHit> bondHits() {
        return c.bondHits.toList();
    }

    /** A copy of the groups (and buckets) the packet went through. */
    public List<dev.jvswitch.ofproto.group.GroupHit> groupHits() {
        int n = c.groupHits.size();
        if (n == 0) {
            return List.of();
        }
        dev.jvswitch.ofproto.group.GroupHit[] out = new dev.jvswitch.ofproto.group.GroupHit[n];
        for (int i = 0; i < n; i++) {
            out[i] = new dev.jvswitch.ofproto.group.GroupHit(c.groupHits.get(i), c.groupHitBuckets[i]);
        }
        return List.of(out);
    }

    /** A copy of the rules whose actions ran, in order. */
    public List<Rule> rules() {
        return List.copyOf(c.rules);
    }

    /** A copy of the MAC table lookups NORMAL made. */
    public List<MacDependency> macDependencies() {
        return c.macDependencies();
    }

    /** A copy of the source MACs NORMAL learned (or would have). */
    public List<MacLearning> macLearnings() {
        return c.macLearnings();
    }

    /**
     * The outputs to the controller the translation ran, in order (an empty shared list for
     * most flows; a fresh list only when there are some, so the upcall path stays garbage-free).
     */
    public List<ControllerOutput> controllerOutputs() {
        return c.controllerOutputs;
    }

    /** True if a {@code learn} ran: {@link #learned()} has flows to apply. */
    public boolean learns() {
        return !c.learned.isEmpty();
    }

    /** A copy of the flows {@code learn} actions made, in order (the shared empty list if none). */
    public List<Learned> learned() {
        return c.learned.isEmpty() ? List.of() : List.copyOf(c.learned);
    }

    /** A copy of the {@code fin_timeout}s that ran ({@link FinTimeouts}; indexes into {@link #rules()}). */
    public long[] finTimeouts() {
        return c.finTimeouts.entries();
    }

    /** A copy of the ids of the recirculations the program performs. */
    public int[] recircIds() {
        return Arrays.copyOf(c.recircIds, c.recircCount);
    }
}
