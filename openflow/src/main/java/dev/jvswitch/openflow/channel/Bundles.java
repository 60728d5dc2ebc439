package dev.jvswitch.openflow.channel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.projectfloodlight.openflow.protocol.OFBundleAddMsg;
import org.projectfloodlight.openflow.protocol.OFBundleCtrlMsg;
import org.projectfloodlight.openflow.protocol.OFBundleCtrlType;
import org.projectfloodlight.openflow.protocol.OFBundleFlags;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFGroupMod;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortMod;

import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowRemoved;
import dev.jvswitch.ofproto.mod.ModFailedException;
import dev.jvswitch.ofproto.mod.ModResult;
import dev.jvswitch.ofproto.mod.OfMod;
import dev.jvswitch.openflow.codec.FlowModCodec;
import dev.jvswitch.openflow.codec.GroupCodec;
import dev.jvswitch.openflow.codec.MeterCodec;
import dev.jvswitch.openflow.codec.OfCodecException;
import dev.jvswitch.openflow.codec.OfError;

/**
 * One connection's OpenFlow bundles (1.4+: OPEN, ADD, CLOSE, COMMIT, DISCARD; on 1.3 the same as
 * the ONF extension's experimenter messages, which {@code ovs-ofctl -O OpenFlow13 --bundle} sends). Messages are
 * decoded when added (a bad one is refused then, with its own xid, and the bundle stays open);
 * a commit applies every mod of the bundle in order as one {@code Ofproto.apply} transaction: all
 * or nothing, one table version, so no packet sees half a bundle. A failed commit discards the
 * bundle, answers the failing message's error and then BUNDLE_FAILED/MSG_FAILED for the commit. Bundles die with
 * their connection.
 *
 * <p><b>Thread-safety:</b> change thread only (bundle messages queue with the other requests).
 */
final class Bundles {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("openflow");
    /** Bundles a connection may hold open, and messages per bundle (OVS: no limit; we bound memory). */
    static final int MAX_BUNDLES = 64;
    static final int MAX_MESSAGES = 1_000_000;
    /** Bundles this large are logged with their commit time. */
    private static final int LOGGED_BUNDLE = 100;

    /** A message of a bundle: its xid and first bytes (for its error) and its mod. */
    private record Entry(long xid, byte[] head, OfMod mod) {
    }

    private static final class Bundle {
        final List<Entry> entries = new ArrayList<>();
        /** The {@code OFPBF_*} bits it was opened with: every later message of it must carry the same. */
        final int flags;
        boolean closed;

        Bundle(int flags) {
            this.flags = flags;
        }
    }

    private final Map<Integer, Bundle> open = new LinkedHashMap<>();
    private final OfConnection c;
    private final OfBridge bridge;

    Bundles(OfConnection c, OfBridge bridge) {
        this.c = c;
        this.bridge = bridge;
    }

    /** {@code flags} as {@code OFPBF_*} bits ({@code ATOMIC} 1, {@code ORDERED} 2, 1.5's {@code TIME} 4). */
    static int bits(Set<OFBundleFlags> flags) {
        int bits = 0;
        for (OFBundleFlags f : flags) {
            bits |= switch (f) {
                case ATOMIC -> 1;
                case ORDERED -> 2;
                default -> 4;
            };
        }
        return bits;
    }

    /** {@code OFPBCT_*} in wire order: the control types by number. */
    private static final OFBundleCtrlType[] CTRL_TYPES = {OFBundleCtrlType.OPEN_REQUEST, OFBundleCtrlType.OPEN_REPLY,
        OFBundleCtrlType.CLOSE_REQUEST, OFBundleCtrlType.CLOSE_REPLY, OFBundleCtrlType.COMMIT_REQUEST,
        OFBundleCtrlType.COMMIT_REPLY, OFBundleCtrlType.DISCARD_REQUEST, OFBundleCtrlType.DISCARD_REPLY};

    /** A bundle control request of OpenFlow 1.4 or 1.5. */
    void control(OFBundleCtrlMsg m) {
        control(m.getBundleId().getInt(), m.getBundleCtrlType(), bits(m.getFlags()), m.getXid(), false);
    }

    /** A bundle control request of OpenFlow 1.3 (the ONF extension), answered in kind. */
    void control(OfFrameDecoder.OnfBundleCtrl m) {
        if (m.ctrlType() >= CTRL_TYPES.length) {
            throw new OfCodecException(OfError.BUNDLE_FAILED_BAD_TYPE, "bundle control type " + m.ctrlType());
        }
        control(m.bundleId(), CTRL_TYPES[m.ctrlType()], m.flags(), m.xid(), true);
    }

    /**
     * A bundle control request, answered as OVS answers it: an id opened twice, a bundle closed
     * twice, or a close or commit whose flags differ from the open's is an error and the bundle
     * is gone; a commit that fails answers the message at fault and then {@code MSG_FAILED}.
     */
    private void control(int id, OFBundleCtrlType type, int flags, long xid, boolean onf) {
        Bundle b = open.get(id);
        OFBundleCtrlType reply;
        switch (type) {
            case OPEN_REQUEST -> {
                if (b != null) {
                    open.remove(id);
                    throw new OfCodecException(OfError.BUNDLE_FAILED_BAD_ID, "bundle " + id + " was open: discarded");
                }
                if (open.size() >= MAX_BUNDLES) {
                    throw new OfCodecException(OfError.BUNDLE_FAILED_OUT_OF_BUNDLES, MAX_BUNDLES + " bundles are open");
                }
                open.put(id, new Bundle(flags));
                reply = OFBundleCtrlType.OPEN_REPLY;
            }
            case CLOSE_REQUEST -> {
                if (known(b, id).closed) {
                    open.remove(id);
                    throw new OfCodecException(OfError.BUNDLE_FAILED_BUNDLE_CLOSED, "bundle " + id
                            + " was closed: discarded");
                }
                sameFlags(b, id, flags);
                b.closed = true;
                reply = OFBundleCtrlType.CLOSE_REPLY;
            }
            case DISCARD_REQUEST -> {
                known(b, id);
                open.remove(id);
                reply = OFBundleCtrlType.DISCARD_REPLY;
            }
            case COMMIT_REQUEST -> {
                known(b, id);
                sameFlags(b, id, flags);
                open.remove(id);
                if (!commit(b)) {
                    throw new OfCodecException(OfError.BUNDLE_FAILED_MSG_FAILED, "bundle " + id
                            + " failed and was discarded");
                }
                reply = OFBundleCtrlType.COMMIT_REPLY;
            }
            default -> throw new OfCodecException(OfError.BUNDLE_FAILED_BAD_TYPE, "bundle control " + type);
        }
        // As OVS: the reply carries no flags.
        if (onf) {
            c.sendRaw(onfReply(c.version(), xid, id, List.of(CTRL_TYPES).indexOf(reply)));
        } else {
            c.send(c.factory().buildBundleCtrlMsg().setXid(xid).setBundleId(org.projectfloodlight.openflow.types
                    .BundleId.of(id)).setBundleCtrlType(reply).setFlags(Set.of()).build());
        }
    }

    /** An {@code ONFT_BUNDLE_CONTROL} reply: the experimenter header, then the bundle id, type and no flags. */
    private static io.netty.buffer.ByteBuf onfReply(int version, long xid, int id, int type) {
        int len = 24;
        return io.netty.buffer.Unpooled.buffer(len).writeByte(version).writeByte(4).writeShort(len).writeInt((int) xid)
                .writeInt((int) OfError.ONF_VENDOR_ID).writeInt(OfFrameDecoder.ONFT_BUNDLE_CONTROL).writeInt(id)
                .writeShort(type).writeShort(0);
    }

    void add(OFBundleAddMsg m) {
        OFMessage inner = m.getData();
        OfMod mod;
        if (inner instanceof OFFlowMod fm) {
            mod = OfRequests.checkTlvFields(FlowModCodec.decode(fm), bridge);
        } else if (inner instanceof OFGroupMod gm) {
            mod = GroupCodec.decode(gm);
        } else if (inner instanceof OFPortMod pm) {
            mod = GroupCodec.decode(pm);
        } else if (inner instanceof org.projectfloodlight.openflow.protocol.OFMeterMod mm) {
            mod = MeterCodec.decode(mm);
        } else {
            throw new OfCodecException(OfError.BUNDLE_FAILED_MSG_UNSUP, "a bundle carries flow, group, meter and port"
                    + " mods, not " + inner.getType());
        }
        add(m.getBundleId().getInt(), bits(m.getFlags()), new Entry(inner.getXid(), OfRequests.head(inner), mod));
    }

    /** A bundle add decoded by hand: 1.5's, some of 1.4's, and 1.3's ONF one ({@link OfFrameDecoder.BundleAdd15}). */
    void add(OfFrameDecoder.BundleAdd15 m) {
        if (m.error() != null) {
            throw m.error();
        }
        OfMod mod;
        if (m.flow() != null) {
            mod = OfRequests.checkTlvFields(m.flow(), bridge);
        } else if (m.group() != null) {
            mod = m.group();
        } else if (m.inner() instanceof OFFlowMod fm) {
            mod = OfRequests.checkTlvFields(FlowModCodec.decode(fm), bridge);
        } else if (m.inner() instanceof OFPortMod pm) {
            mod = GroupCodec.decode(pm);
        } else if (m.inner() instanceof org.projectfloodlight.openflow.protocol.OFMeterMod mm) {
            mod = MeterCodec.decode(mm);
        } else {
            throw new OfCodecException(OfError.BUNDLE_FAILED_MSG_UNSUP, "a bundle carries flow, group, meter and port"
                    + " mods, not " + m.inner().getType());
        }
        add(m.bundleId(), m.flags(), new Entry(m.innerXid(), m.innerHead(), mod));
    }

    private void add(int id, int flags, Entry e) {
        Bundle b = open.get(id);
        if (b == null) {
            // OpenFlow 1.4: adding to a bundle that is not open opens it.
            if (open.size() >= MAX_BUNDLES) {
                throw new OfCodecException(OfError.BUNDLE_FAILED_OUT_OF_BUNDLES, MAX_BUNDLES + " bundles are open");
            }
            b = new Bundle(flags);
            open.put(id, b);
        }
        if (b.closed) {
            open.remove(id);
            throw new OfCodecException(OfError.BUNDLE_FAILED_BUNDLE_CLOSED, "bundle " + id + " was closed: discarded");
        }
        sameFlags(b, id, flags);
        if (b.entries.size() >= MAX_MESSAGES) {
            throw new OfCodecException(OfError.BUNDLE_FAILED_MSG_TOO_MANY, "bundle " + id + " is full");
        }
        b.entries.add(e);
    }

    private Bundle known(Bundle b, int id) {
        if (b == null) {
            throw new OfCodecException(OfError.BUNDLE_FAILED_BAD_ID, "no bundle " + id);
        }
        return b;
    }

    /** Refuses (and discards the bundle) a message whose flags are not the bundle's. */
    private void sameFlags(Bundle b, int id, int flags) {
        if (b.flags != flags) {
            open.remove(id);
            throw new OfCodecException(OfError.BUNDLE_FAILED_BAD_FLAGS, "bundle " + id + " was opened with flags "
                    + b.flags + ", not " + flags + ": discarded");
        }
    }

    /** Applies the whole bundle as one transaction; on failure finds and reports the message at fault. */
    private boolean commit(Bundle b) {
        List<OfMod> mods = new ArrayList<>(b.entries.size());
        for (Entry e : b.entries) {
            mods.add(e.mod());
        }
        ModResult r;
        long startNs = System.nanoTime();
        try {
            r = bridge.backend().apply(mods);
        } catch (IllegalArgumentException e) {
            // Nothing changed. Answer the message at fault, then the commit fails.
            int at = e instanceof ModFailedException f ? f.index() : b.entries.size() - 1;
            Entry bad = b.entries.get(Math.max(0, Math.min(at, b.entries.size() - 1)));
            c.refuse(c.version(), bad.xid(), OfRequests.applyError(e), bad.head(), e.getMessage());
            return false;
        }
        if (mods.size() >= LOGGED_BUNDLE) {
            // A controller's whole table (ovn-controller on connect): how long the one transaction took.
            LOG.atLevel(bridge.lifeLevel()).log("{}: {}: bundle of {} messages committed in {} us", bridge.name(),
                    c.target(), mods.size(), (System.nanoTime() - startNs) / 1000);
        }
        for (FlowRemoved fr : r.removed()) {
            if (fr.flow().flags().contains(FlowMod.Flag.SEND_FLOW_REM)) {
                bridge.flowRemoved(fr);
            }
        }
        return true;
    }
}
