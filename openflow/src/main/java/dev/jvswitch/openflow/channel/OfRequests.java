package dev.jvswitch.openflow.channel;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.projectfloodlight.openflow.protocol.OFAggregateStatsRequest;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortStatsEntry;
import org.projectfloodlight.openflow.protocol.OFPortStatsRequest;
import org.projectfloodlight.openflow.protocol.OFQueueGetConfigRequest;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFTableStatsEntry;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.mod.PortMod;
import dev.jvswitch.openflow.codec.GroupCodec;
import dev.jvswitch.ofproto.mod.FlowRemoved;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.FlowStatsRequest;
import dev.jvswitch.ofproto.mod.ModResult;
import dev.jvswitch.openflow.backend.PortInfo;
import dev.jvswitch.openflow.codec.FlowModCodec;
import dev.jvswitch.openflow.codec.MeterCodec;
import dev.jvswitch.openflow.codec.MultipartWire;
import dev.jvswitch.openflow.codec.OfCodecException;
import dev.jvswitch.openflow.codec.OfError;
import dev.jvswitch.openflow.codec.OfPortNumbers;
import dev.jvswitch.openflow.codec.PortCodec;
import dev.jvswitch.openflow.codec.TableFeaturesCodec;

/**
 * The requests of one connection that read or change the tables, handled on the change thread
 * in arrival order ({@link ChangeQueue}): flow mods, barriers and multipart requests. Each
 * request's failure is its own: an {@code OFPT_ERROR} with the request's xid, and the next
 * request runs.
 *
 * <p><b>Barrier</b> (as OVS): a flow mod changes the tables at once (one {@code Ofproto}
 * version) and wakes the revalidators ({@link BridgeBackend#apply}); a barrier is answered as soon
 * as every earlier request of the connection has been handled and answered, which is when the
 * tables hold their changes: the next upcall translates against them, and once every earlier
 * packet-out has left its PMD ({@link PendingExecutions}). It does not wait for the
 * revalidators to fix the megaflows computed from older tables; they do that right after, on
 * their own. Whoever needs the datapath itself updated awaits it ({@code revalidator/wait}).
 *
 * <p><b>Thread-safety:</b> change thread only; it writes to the channel, which Netty allows from
 * any thread.
 */
final class OfRequests {
    private static final Logger LOG = LoggerFactory.getLogger("openflow");
    /** Largest multipart reply body before the rest goes in another message (the length field is 16 bits). */
    private static final int MAX_REPLY_BYTES = MultipartWire.MAX_BODY_BYTES;
    private static final int TABLES = 254;

    private final OfConnection c;
    private final OfBridge bridge;
    private final ByteBuf scratch = Unpooled.buffer(4096);
    private final Bundles bundles;
    private final PendingExecutions executions;
    /** The connection's sent count at the last flush; change thread only. */
    private long flushedAt;

    OfRequests(OfConnection c, OfBridge bridge) {
        this.c = c;
        this.bridge = bridge;
        this.bundles = new Bundles(c, bridge);
        this.executions = new PendingExecutions(bridge.name());
    }

    /** The first bytes of {@code m} as an error carries them back. */
    static byte[] head(OFMessage m) {
        ByteBuf b = Unpooled.buffer(128);
        try {
            m.writeTo(b);
            byte[] out = new byte[Math.min(b.readableBytes(), OfFrameDecoder.ERROR_DATA_BYTES)];
            b.getBytes(0, out);
            return out;
        } catch (RuntimeException e) {
            return new byte[0];
        } finally {
            b.release();
        }
    }

    /**
     * Change thread, after each batch: flushes what the batch wrote. A batch that wrote nothing
     * (bundle adds, flow mods) costs no flush: one from this thread is a task for the event loop,
     * which wakes it for nothing, once per message while a controller sends them one by one.
     */
    void flush() {
        long sent = c.sent();
        if (sent != flushedAt) {
            flushedAt = sent;
            c.flush();
        }
    }

    /**
     * A batch of requests in order. Consecutive flow mods are applied as one transaction (one
     * table version instead of one each: the cost of publishing a version is paid once per run);
     * if one is refused, the ones before it are applied together, it is answered with its error,
     * and the run goes on after it, so each flow mod succeeds or fails exactly as on its own.
     */
    void handleAll(List<Object> batch) {
        // Flow mods are decoded and flow stats encoded here: a longer option's tun_metadataN
        // goes through the bridge's TLV map, as ovs-ofctl's does.
        dev.jvswitch.ofproto.tnl.TlvMapScope.run(bridge.backend().tlvMaps().get(bridge.backend().bridge()),
                () -> handleAllInScope(batch));
    }

    private void handleAllInScope(List<Object> batch) {
        List<Object> run = new ArrayList<>();
        List<FlowMod> mods = new ArrayList<>();
        for (Object o : batch) {
            if (o instanceof OfFrameDecoder.Nicira n) {
                applyRun(run, mods);
                if (n.subtype() == dev.jvswitch.openflow.codec.NxPacketIn2.NXT_RESUME) {
                    resume(n);
                    continue;
                }
                // NXT_CT_FLUSH_ZONE: nx_zone_id is 6 zero bytes and the zone.
                bridge.backend().flushConntrackZone(((n.body()[6] & 0xff) << 8) | (n.body()[7] & 0xff));
                continue;
            }
            if (o instanceof OfFrameDecoder.FlowModNx nx) {
                if (nx.error() != null) {
                    applyRun(run, mods);
                    c.refuse(c.version(), nx.xid(), nx.error().error(), nx.head(), nx.error().getMessage());
                    continue;
                }
                try {
                    mods.add(checkTlvFields(nx.mod(), bridge));
                    run.add(nx);
                } catch (OfCodecException e) {
                    applyRun(run, mods);
                    c.refuse(c.version(), nx.xid(), e.error(), nx.head(), e.getMessage());
                }
                continue;
            }
            if (o instanceof OfFrameDecoder.PacketOut15 po) {
                applyRun(run, mods);
                packetOut15(po);
                continue;
            }
            if (o instanceof OfFrameDecoder.GroupMod15 g) {
                applyRun(run, mods);
                groupMod15(g);
                continue;
            }
            if (o instanceof OfFrameDecoder.BundleAdd15 ba) {
                applyRun(run, mods);
                try {
                    bundles.add(ba);
                } catch (OfCodecException e) {
                    c.refuse(c.version(), ba.innerXid(), e.error(), ba.innerHead(), e.getMessage());
                }
                continue;
            }
            if (o instanceof OfFrameDecoder.OnfBundleCtrl b) {
                applyRun(run, mods);
                try {
                    bundles.control(b);
                } catch (OfCodecException e) {
                    c.refuse(c.version(), b.xid(), e.error(), b.head(), e.getMessage());
                }
                continue;
            }
            if (o instanceof OfFrameDecoder.NxTlv t) {
                applyRun(run, mods);
                tlv(t);
                continue;
            }
            OFMessage m = (OFMessage) o;
            if (m instanceof OFFlowMod fm) {
                try {
                    mods.add(checkTlvFields(FlowModCodec.decode(fm), bridge));
                    run.add(fm);
                } catch (OfCodecException e) {
                    applyRun(run, mods);
                    error(m, e.error(), e.getMessage());
                }
                continue;
            }
            applyRun(run, mods);
            handle(m);
        }
        applyRun(run, mods);
    }

    private void applyRun(List<Object> run, List<FlowMod> mods) {
        int from = 0;
        while (from < mods.size()) {
            List<FlowMod> part = mods.subList(from, mods.size());
            try {
                afterChange(bridge.backend().apply(part));
                from = mods.size();
            } catch (IllegalArgumentException e) {
                int bad = e instanceof dev.jvswitch.ofproto.mod.ModFailedException f ? from + f.index() : from;
                if (bad > from) {
                    afterChange(bridge.backend().apply(mods.subList(from, bad)));
                }
                if (run.get(bad) instanceof OfFrameDecoder.FlowModNx nx) {
                    c.refuse(c.version(), nx.xid(), applyError(e), nx.head(), e.getMessage());
                } else {
                    error((OFMessage) run.get(bad), applyError(e), e.getMessage());
                }
                from = bad + 1;
            }
        }
        run.clear();
        mods.clear();
    }

    private void afterChange(ModResult r) {
        for (FlowRemoved fr : r.removed()) {
            if (fr.flow().flags().contains(FlowMod.Flag.SEND_FLOW_REM)) {
                bridge.flowRemoved(fr);
            }
        }
    }

    void handle(OFMessage m) {
        try {
            switch (m.getType()) {
                case PACKET_OUT -> packetOut((org.projectfloodlight.openflow.protocol.OFPacketOut) m);
                case GROUP_MOD -> groupMod((org.projectfloodlight.openflow.protocol.OFGroupMod) m);
                case METER_MOD -> meterMod((org.projectfloodlight.openflow.protocol.OFMeterMod) m);
                case BUNDLE_CONTROL -> bundles.control((org.projectfloodlight.openflow.protocol.OFBundleCtrlMsg) m);
                case BUNDLE_ADD_MESSAGE -> bundles.add((org.projectfloodlight.openflow.protocol.OFBundleAddMsg) m);
                case PORT_MOD -> portMod((org.projectfloodlight.openflow.protocol.OFPortMod) m);
                case BARRIER_REQUEST -> barrier(m);
                case STATS_REQUEST -> stats((OFStatsRequest<?>) m);
                case QUEUE_GET_CONFIG_REQUEST -> c.send(c.factory().buildQueueGetConfigReply().setXid(m.getXid())
                        .setPort(((OFQueueGetConfigRequest) m).getPort()).setQueues(List.of()).build());
                default -> error(m, OfError.BAD_REQUEST_BAD_TYPE, m.getType() + " is not supported");
            }
        } catch (OfCodecException e) {
            error(m, e.error(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{}: {}: {} failed: {}", bridge.name(), c.target(), m.getType(), e.toString());
            error(m, OfError.BAD_REQUEST_EPERM, String.valueOf(e.getMessage()));
        }
    }

    private void error(OFMessage m, OfError e, String reason) {
        c.refuse(c.version(), m.getXid(), e, head(m), reason);
    }

    // ------------------------------------------------------------------ changes

    /**
     * {@code mod}, if every {@code tun_metadataN} it names is mapped by the bridge's TLV map
     * ({@link TlvFields#check}; else OVS's {@code NXFMFC_INVALID_TLV_FIELD}) and its actions are
     * consistent with its match ({@link RequestChecks#consistent}).
     */
    static FlowMod checkTlvFields(FlowMod mod, OfBridge bridge) {
        return RequestChecks.consistent(TlvFields.check(mod,
                bridge.backend().tlvMaps().get(bridge.backend().bridge())));
    }

    /** A TLV table mod (OVS's semantics, all or nothing) or request: the bridge's map edited or sent. */
    private void tlv(OfFrameDecoder.NxTlv t) {
        dev.jvswitch.ofproto.tnl.TlvMaps maps = bridge.backend().tlvMaps();
        String name = bridge.backend().bridge();
        if (t.mod() == null) {
            c.sendRaw(dev.jvswitch.openflow.codec.TlvTableWire.encodeReply(c.channel().alloc(), c.version(), t.xid(),
                    maps.get(name)));
            return;
        }
        try {
            dev.jvswitch.ofproto.tnl.TlvMap before = maps.get(name);
            dev.jvswitch.ofproto.tnl.TlvMap after = switch (t.mod().command()) {
                case dev.jvswitch.openflow.codec.TlvTableWire.ADD -> before.add(t.mod().mappings());
                case dev.jvswitch.openflow.codec.TlvTableWire.DELETE -> before.deleteIndices(t.mod().indices());
                default -> dev.jvswitch.ofproto.tnl.TlvMap.EMPTY;
            };
            dev.jvswitch.ofproto.tnl.TlvUse.Refusal refusal = dev.jvswitch.ofproto.tnl.TlvUse.change(
                    bridge.backend().flowStats(dev.jvswitch.ofproto.mod.FlowStatsRequest.all()), before, after);
            if (refusal != null) {
                OfError error = refusal.deleted() ? OfError.NXTTMFC_INVALID_TLV_DEL : OfError.NXTTMFC_TABLE_FULL;
                LOG.debug("{}: {}: {} xid {}: {}", bridge.name(), c.target(), error, t.xid(), refusal.reason());
                c.sendError(c.version(), t.xid(), error, t.head());
                return;
            }
            switch (t.mod().command()) {
                case dev.jvswitch.openflow.codec.TlvTableWire.ADD -> maps.add(name, t.mod().mappings());
                case dev.jvswitch.openflow.codec.TlvTableWire.DELETE -> maps.deleteIndices(name, t.mod().indices());
                default -> maps.delete(name, null);
            }
        } catch (dev.jvswitch.ofproto.tnl.TlvMapException e) {
            OfError error = switch (e.reason()) {
                case ALREADY_MAPPED -> OfError.NXTTMFC_ALREADY_MAPPED;
                case DUP_ENTRY -> OfError.NXTTMFC_DUP_ENTRY;
                case TABLE_FULL -> OfError.NXTTMFC_TABLE_FULL;
                default -> OfError.NXTTMFC_BAD_OPT_LEN;
            };
            LOG.debug("{}: {}: {} xid {}: {}", bridge.name(), c.target(), error, t.xid(), e.getMessage());
            c.sendError(c.version(), t.xid(), error, t.head());
        }
    }

    /**
     * NXT_RESUME: the packet (as the controller changed it) goes on from where its
     * {@code controller(pause)} stopped, with the metadata the controller sent back.
     */
    private void resume(OfFrameDecoder.Nicira n) {
        try {
            dev.jvswitch.openflow.codec.NxPacketIn2.Resume r = dev.jvswitch.openflow.codec.NxPacketIn2.decodeResume(
                    n.body(), bridge.name());
            if (r.state() != null) {
                executions.add(bridge.backend().resume(r.packet(), r.metadata(), r.state()));
            }
        } catch (OfCodecException e) {
            c.sendError(c.version(), n.xid(), e.error(), n.head());
        } catch (IllegalArgumentException e) {
            LOG.info("{}: resume refused: {}", bridge.name(), e.getMessage());
            c.sendError(c.version(), n.xid(), OfError.BAD_REQUEST_BAD_PACKET, n.head());
        } catch (IndexOutOfBoundsException e) {
            c.sendError(c.version(), n.xid(), OfError.BAD_REQUEST_BAD_LEN, n.head());
        }
    }

    /** A 1.5 packet-out read by hand: its match's registers and metadata start the translation. */
    private void packetOut15(OfFrameDecoder.PacketOut15 po) {
        if (po.error() != null) {
            c.refuse(c.version(), po.xid(), po.error().error(), po.head(), po.error().getMessage());
            return;
        }
        dev.jvswitch.openflow.codec.PacketOut15Wire.PacketOut p = po.packetOut();
        try {
            RequestChecks.groupsExist(p.actions(), bridge.backend().groups());
        } catch (OfCodecException e) {
            c.refuse(c.version(), po.xid(), e.error(), po.head(), e.getMessage());
            return;
        }
        try {
            executions.add(bridge.backend().packetOut(p.inPort(), p.actions(), p.data(), p.metadata()));
        } catch (IllegalArgumentException e) {
            c.sendError(c.version(), po.xid(), packetOutError(e), po.head());
        }
    }

    private void packetOut(org.projectfloodlight.openflow.protocol.OFPacketOut p) {
        if (!p.getBufferId().equals(org.projectfloodlight.openflow.types.OFBufferId.NO_BUFFER)) {
            throw new OfCodecException(OfError.BAD_REQUEST_BUFFER_UNKNOWN, "this switch buffers no packets");
        }
        OFPort in = c.version() >= 6 ? p.getMatch().get(org.projectfloodlight.openflow.protocol.match.MatchField.IN_PORT)
                : p.getInPort();
        if (in == null) {
            throw new OfCodecException(OfError.BAD_REQUEST_BAD_PORT, "a 1.5 packet-out's match has no in_port");
        }
        int inPort = OfPortNumbers.packetOutInPort(OfPortNumbers.from(in), c.version() >= 6);
        List<dev.jvswitch.ofproto.action.OfAction> actions = dev.jvswitch.openflow.codec.ActionCodec.decode(
                p.getActions(), true);
        RequestChecks.groupsExist(actions, bridge.backend().groups());
        try {
            executions.add(bridge.backend().packetOut(inPort, actions, p.getData()));
        } catch (IllegalArgumentException e) {
            throw new OfCodecException(packetOutError(e), String.valueOf(e.getMessage()));
        }
    }

    /** The error a packet-out the backend refused gets (its actions against the packet: as OVS). */
    private static OfError packetOutError(IllegalArgumentException e) {
        if (e instanceof dev.jvswitch.ofproto.action.InconsistentActionsException) {
            return OfError.BAD_ACTION_MATCH_INCONSISTENT;
        }
        return String.valueOf(e.getMessage()).contains("in_port") ? OfError.BAD_REQUEST_BAD_PORT
                : OfError.BAD_REQUEST_BAD_PACKET;
    }

    private void groupMod15(OfFrameDecoder.GroupMod15 g) {
        if (g.error() != null) {
            c.refuse(c.version(), g.xid(), g.error().error(), g.head(), g.error().getMessage());
            return;
        }
        ModResult r;
        try {
            r = bridge.backend().apply(List.of(g.mod()));
        } catch (IllegalArgumentException e) {
            c.sendError(c.version(), g.xid(), GroupCodec.error(e.getMessage()), g.head());
            return;
        }
        afterChange(r);
    }

    private void groupMod(org.projectfloodlight.openflow.protocol.OFGroupMod m) {
        GroupMod gm = GroupCodec.decode(m);
        ModResult r;
        try {
            r = bridge.backend().apply(List.of(gm));
        } catch (IllegalArgumentException e) {
            error(m, GroupCodec.error(e.getMessage()), e.getMessage());
            return;
        }
        for (FlowRemoved fr : r.removed()) {
            if (fr.flow().flags().contains(FlowMod.Flag.SEND_FLOW_REM)) {
                bridge.flowRemoved(fr);
            }
        }
    }

    /** A meter mod: applied alone, or refused with its OFPMMFC_* error (deleting a meter deletes its flows). */
    private void meterMod(org.projectfloodlight.openflow.protocol.OFMeterMod m) {
        ModResult r;
        try {
            r = bridge.backend().apply(List.of(MeterCodec.decode(m)));
        } catch (IllegalArgumentException e) {
            error(m, applyError(e), e.getMessage());
            return;
        }
        afterChange(r);
    }

    private void portMod(org.projectfloodlight.openflow.protocol.OFPortMod m) {
        PortMod pm = GroupCodec.decode(m);
        RequestChecks.hwAddr(pm.portNo(), m.getHwAddr().getLong(), bridge.backend().ports());
        try {
            bridge.backend().apply(List.of(pm));
        } catch (IllegalArgumentException e) {
            String s = String.valueOf(e.getMessage());
            error(m, s.contains("has no port") ? OfError.PORT_MOD_FAILED_BAD_PORT : OfError.PORT_MOD_FAILED_BAD_CONFIG,
                    s);
            return;
        }
        // As OVS: every connection that wants port status hears of it; before OpenFlow 1.4 not the sender.
        for (PortInfo p : bridge.backend().ports()) {
            if (p.ofport() == pm.portNo()) {
                bridge.portStatus(p, OfBridge.PortChange.MODIFY, c.version() < 5 ? c : null);
            }
        }
    }

    /** The OpenFlow error for one of ofproto's one-line refusals. */
    /**
     * The error for a change the ofproto refused: a meter's own (OFPMMFC_*, also for a flow naming
     * a meter that does not exist), else as {@link #applyError(String)} says from the message.
     */
    static OfError applyError(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.jvswitch.ofproto.meter.MeterModException m) {
                return OfError.valueOf("METER_MOD_FAILED_" + m.code().name());
            }
        }
        return applyError(e.getMessage());
    }

    static OfError applyError(String message) {
        String s = message == null ? "" : message;
        if (s.startsWith("check_overlap")) {
            return OfError.FLOW_MOD_FAILED_OVERLAP;
        } else if (s.contains("group") && s.contains("does not exist")) {
            return OfError.BAD_ACTION_BAD_OUT_GROUP;
        } else if (s.contains("not supported yet")) {
            return OfError.BAD_INSTRUCTION_UNSUP_INST;
        } else if (s.startsWith("table") || s.contains("goto_table")) {
            return OfError.FLOW_MOD_FAILED_BAD_TABLE_ID;
        }
        return OfError.FLOW_MOD_FAILED_UNKNOWN;
    }

    /** As OVS: after every earlier request, packet-outs included, has been carried out. */
    private void barrier(OFMessage m) {
        executions.await();
        c.send(c.factory().buildBarrierReply().setXid(m.getXid()).build());
    }

    // ------------------------------------------------------------------ multipart

    private void stats(OFStatsRequest<?> r) {
        OFFactory f = c.factory();
        long xid = r.getXid();
        switch (r.getStatsType()) {
            case DESC -> c.send(f.buildDescStatsReply().setXid(xid).setMfrDesc("jvswitch")
                    .setHwDesc("jvswitch userspace datapath").setSwDesc("jvswitch " + version())
                    .setSerialNum("None").setDpDesc(bridge.name()).build());
            case FLOW -> flowStats(xid, FlowModCodec.decode((OFFlowStatsRequest) r), f);
            case AGGREGATE -> {
                long packets = 0;
                long bytes = 0;
                List<FlowStats> all = bridge.backend().flowStats(FlowModCodec.decode((OFAggregateStatsRequest) r));
                for (FlowStats s : all) {
                    packets += s.packets();
                    bytes += s.bytes();
                }
                if (c.version() >= 6) {
                    c.sendRaw(MultipartWire.aggregate15(xid, all.size(), packets, bytes));
                } else {
                    c.send(f.buildAggregateStatsReply().setXid(xid).setPacketCount(U64.of(packets))
                            .setByteCount(U64.of(bytes)).setFlowCount(all.size()).build());
                }
            }
            case TABLE -> {
                long[] active = new long[TABLES];
                for (FlowStats s : bridge.backend().flowStats(FlowStatsRequest.all())) {
                    if (s.tableId() < TABLES) {
                        active[s.tableId()]++;
                    }
                }
                List<OFTableStatsEntry> entries = new ArrayList<>(TABLES);
                for (int t = 0; t < TABLES; t++) {
                    entries.add(f.buildTableStatsEntry().setTableId(TableId.of(t)).setActiveCount(active[t])
                            .setLookupCount(U64.ZERO).setMatchedCount(U64.ZERO).build());
                }
                c.send(f.buildTableStatsReply().setXid(xid).setEntries(entries).build());
            }
            case TABLE_FEATURES -> {
                for (ByteBuf b : MultipartWire.tableFeatures(c.version(), xid, TableFeaturesCodec.tables(f, TABLES))) {
                    c.sendRaw(b);
                }
            }
            case PORT_DESC -> {
                List<OFPortDesc> ports = new ArrayList<>();
                for (PortInfo p : bridge.backend().ports()) {
                    ports.add(PortCodec.desc(p, f));
                }
                c.send(f.buildPortDescStatsReply().setXid(xid).setEntries(ports).build());
            }
            case PORT -> {
                OFPort want = ((OFPortStatsRequest) r).getPortNo();
                int no = want.equals(OFPort.ANY) ? -1 : OfPortNumbers.from(want);
                List<OFPortStatsEntry> entries = new ArrayList<>();
                for (PortInfo p : bridge.backend().ports()) {
                    if (no < 0 || p.ofport() == no) {
                        entries.add(PortCodec.stats(p, f));
                    }
                }
                c.send(f.buildPortStatsReply().setXid(xid).setEntries(entries).build());
            }
            case QUEUE -> {
                RequestChecks.queuePort(OfPortNumbers.from(((org.projectfloodlight.openflow.protocol.OFQueueStatsRequest) r)
                        .getPortNo()), bridge.backend().ports());
                c.send(f.buildQueueStatsReply().setXid(xid).setEntries(List.of()).build());
            }
            case GROUP_DESC -> {
                if (c.version() >= 6) {
                    for (ByteBuf b : dev.jvswitch.openflow.codec.Group15Wire.descReply(xid, bridge.backend().groups())) {
                        c.sendRaw(b);
                    }
                    return;
                }
                if (dev.jvswitch.openflow.codec.Group13Wire.descNeedsNx(bridge.backend().groups())) {
                    for (ByteBuf b : dev.jvswitch.openflow.codec.Group13Wire.descReply(c.version(), xid,
                            bridge.backend().groups())) {
                        c.sendRaw(b);
                    }
                    return;
                }
                List<org.projectfloodlight.openflow.protocol.OFGroupDescStatsEntry> entries = new ArrayList<>();
                for (Group g : bridge.backend().groups()) {
                    entries.add(GroupCodec.desc(g, f));
                }
                sendChunked(entries, (part, more) -> f.buildGroupDescStatsReply().setXid(xid).setFlags(more)
                        .setEntries(part).build());
            }
            case GROUP -> {
                long want = ((org.projectfloodlight.openflow.protocol.OFGroupStatsRequest) r).getGroup()
                        .getGroupNumber() & 0xffffffffL;
                List<FlowStats> flows = bridge.backend().flowStats(FlowStatsRequest.all());
                List<org.projectfloodlight.openflow.protocol.OFGroupStatsEntry> entries = new ArrayList<>();
                for (Group g : bridge.backend().groups()) {
                    if (want == GroupMod.ALL || want == g.groupId()) {
                        entries.add(GroupCodec.stats(g, refCount(flows, g.groupId()), f));
                    }
                }
                sendChunked(entries, (part, more) -> f.buildGroupStatsReply().setXid(xid).setFlags(more)
                        .setEntries(part).build());
            }
            case GROUP_FEATURES -> c.send(GroupCodec.features(xid, f));
            case METER_FEATURES -> c.sendRaw(MultipartWire.meterFeatures(c.version(), xid));
            case METER_CONFIG -> {
                long id = ((org.projectfloodlight.openflow.protocol.OFMeterConfigStatsRequest) r).getMeterId();
                List<dev.jvswitch.ofproto.meter.MeterEntry> meters = new ArrayList<>();
                for (dev.jvswitch.ofproto.meter.MeterEntry e : bridge.backend().meters()) {
                    if (id == dev.jvswitch.ofproto.meter.Meter.ALL || e.meterId() == id) {
                        meters.add(e);
                    }
                }
                RequestChecks.meterExists(id, !meters.isEmpty());
                for (ByteBuf b : MeterCodec.configReply(c.version(), xid, meters)) {
                    c.sendRaw(b);
                }
            }
            case METER -> {
                long id = ((org.projectfloodlight.openflow.protocol.OFMeterStatsRequest) r).getMeterId();
                List<dev.jvswitch.ofproto.meter.MeterStats> stats = bridge.backend().meterStats(id);
                RequestChecks.meterExists(id, !stats.isEmpty());
                for (ByteBuf b : MeterCodec.statsReply(c.version(), xid, stats)) {
                    c.sendRaw(b);
                }
            }
            default -> throw new OfCodecException(OfError.BAD_REQUEST_BAD_MULTIPART, "multipart "
                    + r.getStatsType() + " is not supported");
        }
    }

    private static long refCount(List<FlowStats> flows, long groupId) {
        long n = 0;
        for (FlowStats s : flows) {
            for (dev.jvswitch.ofproto.mod.Instruction i : s.instructions()) {
                if (i instanceof dev.jvswitch.ofproto.mod.Instruction.ApplyActions a) {
                    for (dev.jvswitch.ofproto.action.OfAction x : a.actions()) {
                        if (x instanceof dev.jvswitch.ofproto.action.OfAction.GroupAction g && g.groupId() == groupId) {
                            n++;
                        }
                    }
                }
            }
        }
        return n;
    }

    private void flowStats(long xid, FlowStatsRequest req, OFFactory f) {
        List<FlowStats> all = bridge.backend().flowStats(req);
        if (c.version() >= 6) {
            for (ByteBuf b : MultipartWire.flowStats15(xid, all, f)) {
                c.sendRaw(b);
            }
            return;
        }
        if (MultipartWire.needsNx(all)) {
            for (ByteBuf b : MultipartWire.flowStats13(xid, all, f)) {
                c.sendRaw(b);
            }
            return;
        }
        List<OFFlowStatsEntry> entries = new ArrayList<>(all.size());
        for (FlowStats s : all) {
            entries.add(FlowModCodec.encode(s, f));
        }
        sendChunked(entries, (part, more) -> f.buildFlowStatsReply().setXid(xid).setFlags(more).setEntries(part)
                .build());
    }

    /** Builds one multipart reply from some entries and its flags. */
    private interface Reply<E> {
        OFMessage build(List<E> entries, Set<OFStatsReplyFlags> flags);
    }

    /**
     * Sends {@code entries} in as many replies as their size needs (the length field is 16
     * bits), all but the last flagged REPLY_MORE.
     */
    private <E extends org.projectfloodlight.openflow.protocol.Writeable> void sendChunked(List<E> entries,
            Reply<E> reply) {
        List<E> chunk = new ArrayList<>();
        int bytes = 0;
        for (E e : entries) {
            scratch.clear();
            e.writeTo(scratch);
            int len = scratch.readableBytes();
            if (bytes + len > MAX_REPLY_BYTES && !chunk.isEmpty()) {
                c.send(reply.build(chunk, EnumSet.of(OFStatsReplyFlags.REPLY_MORE)));
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(e);
            bytes += len;
        }
        c.send(reply.build(chunk, Set.of()));
    }

    private static String version() {
        String v = OfRequests.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }
}
