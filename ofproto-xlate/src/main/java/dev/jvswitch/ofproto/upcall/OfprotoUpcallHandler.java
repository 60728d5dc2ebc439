package dev.jvswitch.ofproto.upcall;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.ofproto.tnl.NeighbourCache;
import dev.jvswitch.ofproto.tnl.PacketOut;
import dev.jvswitch.ofproto.xlate.Xlate;
import dev.jvswitch.ofproto.xlate.ControllerOutput;
import dev.jvswitch.ofproto.xlate.Learned;
import dev.jvswitch.ofproto.xlate.PacketInSink;
import dev.jvswitch.ofproto.xlate.XlateError;
import dev.jvswitch.ofproto.xlate.XlateOutput;
import dev.jvswitch.ofproto.xlate.XlateResult;
import dev.jvswitch.ofproto.xlate.XlateSnapshot;
import dev.jvswitch.pmd.upcall.UpcallHandler;
import dev.jvswitch.pmd.upcall.UpcallOutcome;
import dev.jvswitch.pmd.upcall.UpcallResult;

/**
 * The slow path the datapath calls on a miss (OVS's {@code upcall_cb}): translates the packet's
 * key against the current snapshot and hands back the actions, the megaflow mask and the
 * {@link UkeyData} the revalidators need. The datapath then installs the megaflow and runs the
 * same actions on the packet.
 *
 * <ul>
 *   <li>A recirculated packet whose recirc_id is unknown: {@link UpcallOutcome#RECIRC_ID_UNKNOWN}
 *       (the datapath drops and counts it).</li>
 *   <li>Any other translation error: a drop flow is installed, as OVS does, so a broken flow
 *       costs one upcall rather than one per packet.</li>
 *   <li>A flow that sends to the controller is executed but not installed, so that each packet
 *       comes here: it is counted ({@link #controllerPackets()}) and offered to the
 *       {@link PacketInSink} (the OpenFlow channel's bounded queue), which never blocks. So is
 *       one that needs the slow path for each packet (ARP and ND for the switch's own tunnel
 *       endpoint), without going to the controller.</li>
 *   <li>Packets the translation asked to send (an ARP request for a tunnel's next hop, an ARP
 *       reply) are translated through their bridge, in a context of their own so the upcall's
 *       translation stays readable in place, and handed to the datapath with the result, which
 *       sends them after the upcall.</li>
 * </ul>
 *
 * <p><b>Garbage.</b> An upcall translates in place ({@link Xlate#translateUpcall}) and hands the
 * datapath a shared action program and a {@link UpcallResult.UkeyDataSource}: the
 * {@link UkeyData} (lists of rules, MAC records) is made only if the datapath installs the flow.
 * A packet executed without a flow credits its rules from the translation in place. So an upcall
 * that does not install allocates nothing once the thread is warm.
 *
 * <p><b>Thread-safety:</b> called by every PMD at once. The snapshot is read once per upcall
 * through the supplier (an acquire load in {@code Ofproto}); translation state is per thread, and
 * so is the ukey data source, which reads that state; counters are {@link LongAdder}s.
 */
public final class OfprotoUpcallHandler implements UpcallHandler {
    private final Supplier<XlateSnapshot> snapshots;
    private final LongSupplier revalSeq;
    private final Xlate xlate;
    private final LongSupplier nanoClock;
    private final LongAdder upcalls = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder recircUnknown = new LongAdder();
    private final LongAdder controllerPackets = new LongAdder();
    private final LongAdder packetOuts = new LongAdder();
    private final LongAdder packetOutsDropped = new LongAdder();
    private final LongAdder packetInsRefused = new LongAdder();
    private final LongAdder packetInsUnedited = new LongAdder();
    private final LongAdder packetInsMetered = new LongAdder();
    /** The datapath meter table packet-ins pass (controller(meter_id=N), the controller meter). */
    private volatile Supplier<dev.jvswitch.pmd.meter.DpMeters> meters = () -> null;
    /** Per PMD thread: edits a copy of a packet for the controller. */
    private final ThreadLocal<dev.jvswitch.pmd.exec.PacketEditor> editors =
            ThreadLocal.withInitial(dev.jvswitch.pmd.exec.PacketEditor::new);
    private volatile PacketInSink packetIns = PacketInSink.NONE;
    private volatile Consumer<List<Learned>> learnSink = flows -> { };
    private final ThreadLocal<LazyUkeyData> lazyUkeyData = ThreadLocal.withInitial(LazyUkeyData::new);

    /** Makes the ukey data of the calling thread's last translation, if it is still that one. */
    private static final class LazyUkeyData implements UpcallResult.UkeyDataSource {
        XlateOutput out;

        @Override
        public Object ukeyData(long serial) {
            if (out.serial() != serial) {
                throw new IllegalStateException("ukey data asked for after the thread translated again");
            }
            return UkeyData.of(out);
        }

        boolean holds(UpcallResult result) {
            return result.ukeyDataSource() == this && out.serial() == result.ukeyDataToken();
        }
    }

    /**
     * @param snapshots the current snapshot (read once per upcall)
     * @param revalSeq  the table version the revalidators watch; it must grow only after the
     *                  snapshot that goes with it is published (read before the snapshot)
     * @param xlate     the translator
     * @param nanoClock the tables' monotonic clock
     */
    public OfprotoUpcallHandler(Supplier<XlateSnapshot> snapshots, LongSupplier revalSeq, Xlate xlate,
            LongSupplier nanoClock) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.revalSeq = Objects.requireNonNull(revalSeq, "revalSeq");
        this.xlate = Objects.requireNonNull(xlate, "xlate");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    @Override
    public UpcallOutcome onUpcall(int pmdId, FlowKey key, Mbuf packet, UpcallResult result) {
        upcalls.increment();
        // The version first, then the snapshot: a change published in between makes the ukey look
        // older than it is (one needless revalidation), never newer.
        long seq = revalSeq.getAsLong();
        long nowNs = nanoClock.getAsLong();
        XlateSnapshot snapshot = snapshots.get();
        XlateOutput r = xlate.translateUpcall(snapshot, key, nowNs, packet != null ? packet.length() : 0);
        NeighbourCache.Probe awaiting = r.awaitingNeighbour();
        if (awaiting != null && packet != null) {
            xlate.tunnels().hold(awaiting, packet.toByteArray(), key.copy(), nowNs);
        }
        sendPacketOuts(snapshot, r, result, nowNs);
        if (r.learns()) {
            learnSink.accept(r.learned());
        }
        if (r.error() == XlateError.NO_RECIRCULATION_CONTEXT) {
            recircUnknown.increment();
            return UpcallOutcome.RECIRC_ID_UNKNOWN;
        }
        if (r.error() != null) {
            errors.increment();
        }
        result.actions(r.actions());
        result.mask().or(r.mask());
        LazyUkeyData lazy = lazyUkeyData.get();
        lazy.out = r;
        result.ukeyData(lazy, r.serial());
        result.revalSeq(seq);
        if (r.slowPath()) {
            if (r.toController()) {
                controllerPackets.increment();
            }
            result.doNotInstall();
            r.creditRules(1, packet != null ? packet.length() : 0, nowNs);
            if (packet != null) {
                PacketInSink sink = packetIns;
                List<ControllerOutput> outs = r.controllerOutputs();
                for (int i = 0, n = outs.size(); i < n; i++) {
                    ControllerOutput out = outs.get(i);
                    if (!meterPasses(out, packet.length(), nowNs)) {
                        continue;
                    }
                    Mbuf edited = edited(packet, r.actions(), out);
                    if (!sink.offer(edited, out)) {
                        packetInsRefused.increment();
                    }
                    if (edited != packet) {
                        edited.pool().put(edited);
                    }
                }
            }
        }
        return UpcallOutcome.OK;
    }

    /**
     * The packet as the actions before {@code out} left it (OVS sends the controller the packet as
     * edited): {@code packet} itself when they edit nothing, else an edited copy the caller frees.
     * Without a free mbuf for the copy, the packet goes as it arrived (counted).
     */
    private Mbuf edited(Mbuf packet, DpActions actions, ControllerOutput out) {
        Mbuf m = editors.get().editedCopy(packet, actions, out.editsBefore(), out.pendingEdits());
        if (m == null) {
            packetInsUnedited.increment();
            return packet;
        }
        return m;
    }

    /**
     * False if the packet-in's meter drops it (over its band's rate), as OVS's datapath runs the
     * meter action before its userspace action; counted.
     */
    private boolean meterPasses(ControllerOutput out, int lengthBytes, long nowNs) {
        if (out.meterDpId() == ControllerOutput.NO_METER) {
            return true;
        }
        dev.jvswitch.pmd.meter.DpMeters table = meters.get();
        dev.jvswitch.pmd.meter.DpMeter m = table == null ? null : table.get(out.meterDpId());
        if (m == null || m.pass(lengthBytes, nowNs / 1_000_000L)) {
            return true;
        }
        packetInsMetered.increment();
        return false;
    }

    /** Where packet-ins find their meters (the datapath's meter table); set by the ofproto. */
    public void meters(Supplier<dev.jvswitch.pmd.meter.DpMeters> table) {
        this.meters = Objects.requireNonNull(table, "table");
    }

    /** Packet-ins a meter dropped. */
    public long packetInsMetered() {
        return packetInsMetered.sum();
    }

    /** Packets that went to the controller as they arrived because no edited copy could be made. */
    public long packetInsUnedited() {
        return packetInsUnedited.sum();
    }

    /**
     * Hands the datapath the packets the translation asked to send (ARP/ND for a tunnel), each
     * translated through its bridge from LOCAL against the same snapshot, and the packets held
     * for a next hop this translation learned, each translated again as the upcall it was.
     */
    private void sendPacketOuts(XlateSnapshot snapshot, XlateOutput r, UpcallResult result, long nowNs) {
        List<PacketOut> outs = r.packetOuts();
        for (int i = 0, n = outs.size(); i < n; i++) {
            PacketOut p = outs.get(i);
            DpActions actions = xlate.translateSent(snapshot, p, nowNs);
            if (actions.isDrop() || !result.packetOut(p.frame(), actions)) {
                packetOutsDropped.increment();
            } else {
                packetOuts.increment();
            }
        }
    }

    /**
     * A packet executed without a megaflow (controller flows, flow limit): no revalidator will
     * see it, so its rules are credited here.
     */
    @Override
    public void onNotInstalled(int pmdId, Mbuf packet, UpcallResult result) {
        if (!result.install()) {
            return;
        }
        LazyUkeyData lazy = lazyUkeyData.get();
        if (lazy.holds(result)) {
            lazy.out.creditRules(1, packet != null ? packet.length() : 0, nanoClock.getAsLong());
        } else if (result.ukeyData() instanceof UkeyData d) {
            credit(d, packet, nanoClock.getAsLong());
        }
    }

    private static void credit(UkeyData d, Mbuf packet, long nowNs) {
        d.credit(1, packet != null ? packet.length() : 0, nowNs);
    }

    /**
     * Translates {@code key} against the current snapshot without side effects (no MAC learning):
     * what the fast path should be doing for it. For tests and revalidators.
     */
    public XlateResult translate(FlowKey key) {
        return xlate.translate(snapshots.get(), key, false, nanoClock.getAsLong(), null);
    }

    /**
     * Where packets sent to the controller go from now on (a volatile store: PMDs read it once
     * per controller packet); {@link PacketInSink#NONE} to drop them.
     */
    public void packetInSink(PacketInSink sink) {
        this.packetIns = sink == null ? PacketInSink.NONE : sink;
    }

    /**
     * Where the flows {@code learn} actions make go (the ofproto applies them); a volatile store,
     * read once per upcall that learned.
     */
    public void learnSink(Consumer<List<Learned>> sink) {
        this.learnSink = sink == null ? flows -> { } : sink;
    }

    /** Packets to the controller the sink did not take (no channel, queue full, rate limit). */
    public long packetInsRefused() {
        return packetInsRefused.sum();
    }

    /** Upcalls handled. */
    public long upcalls() {
        return upcalls.sum();
    }

    /** Upcalls whose translation failed (a drop flow was installed). */
    public long errors() {
        return errors.sum();
    }

    /** Upcalls dropped for an unknown recirc_id. */
    public long recircUnknown() {
        return recircUnknown.sum();
    }

    /** Packets the slow path sent itself after upcalls (ARP/ND for tunnels). */
    public long packetOuts() {
        return packetOuts.sum();
    }

    /** Packets the slow path wanted to send but could not (no output, or too many for one upcall). */
    public long packetOutsDropped() {
        return packetOutsDropped.sum();
    }

    /** Packets sent to the controller (each offered to the {@link PacketInSink}). */
    public long controllerPackets() {
        return controllerPackets.sum();
    }
}
