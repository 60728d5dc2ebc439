package dev.jvswitch.ofproto.tnl;

import java.util.Arrays;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.actions.DpActionsBuilder;
import dev.jvswitch.flowcache.actions.TnlTemplate;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.tunnel.GeneveHeaderFlyweight;
import dev.jvswitch.pmd.tunnel.IpAddress;
import dev.jvswitch.pmd.tunnel.TunnelHeaderParams;
import dev.jvswitch.pmd.tunnel.TunnelOps;
import dev.jvswitch.pmd.tunnel.UdpTunnel;

/**
 * What output to a tunnel port reuses from one translation to the next on one thread, so that an
 * upcall through a tunnel makes no garbage once warm: the encapsulated packet's key, the builders
 * of the underlay's actions and of the {@code tnl_push} clone, and the header templates built
 * lately (a template depends only on the tunnel's fields, which few flows make distinct).
 *
 * <p>A push inside the underlay translation of another push (a tunnel over a tunnel) finds the
 * scratch {@link #busy} and takes fresh objects instead.
 *
 * <p><b>Thread-safety:</b> one per translation context, used by its thread only.
 */
public final class TunnelScratch {
    private static final int TEMPLATES = 64;
    /** Most options a packet can have: 4-byte headers with no data in the option space. */
    private static final int MAX_OPTIONS = FlowKey.TUN_METADATA_WORDS * 8 / 4;
    /** An option header's class, type and length bits (its three reserved bits are not matched). */
    private static final int GENEVE_OPTION_HEADER_MASK = 0xffff_ff1f;

    final FlowKey outer = new FlowKey();
    final DpActionsBuilder sent = DpActions.builder();
    final DpActionsBuilder clone = DpActions.builder();
    /** A popped packet's raw tunnel options while {@link TunnelMetadata#fromRaw} maps them. */
    final long[] rawOptions = new long[FlowKey.TUN_METADATA_WORDS];
    /**
     * Bytes of raw options of the popped packet this translation mapped ({@link TunnelMetadata#fromRaw}),
     * whose mask {@link #finishMask} must put in the raw form; 0 when there is none.
     */
    int udpifLength;
    /** Of each of the {@link #options} options of that packet: where its header starts, in bytes. */
    final int[] optionAt = new int[MAX_OPTIONS];
    /** Of each option: its {@code tun_metadataN} index, or -1 if the TLV map does not map it. */
    final int[] optionIndex = new int[MAX_OPTIONS];
    /** Of each option: its data length in bytes. */
    final int[] optionLength = new int[MAX_OPTIONS];
    /** Of each mapped option: the slots of its data before its last 4 bytes ({@link TlvMap#extensionSlots}). */
    final int[][] optionExtension = new int[MAX_OPTIONS][];
    int options;
    private final long[] fieldMasks = new long[FlowKey.TUN_METADATA_WORDS];

    /** The Geneve options of the header being built, {@code [0, pushOptionsLength)}. */
    final byte[] pushOptions = new byte[GeneveHeaderFlyweight.MAX_OPTIONS_BYTES];
    int pushOptionsLength;
    boolean busy;
    /**
     * The next hop this translation of a packet really sent missed (its upcall may hold the
     * packet until it is learned: {@link NeighbourCache#hold}); null if none.
     */
    NeighbourCache.Probe awaiting;

    private final Template[] templates = new Template[TEMPLATES];

    /** One built header and what it was built from. */
    private static final class Template {
        final TunnelOps ops;
        final long dmac;
        final long smac;
        final long srcHi;
        final long srcLo;
        final long dstHi;
        final long dstLo;
        final int tos;
        final int ttl;
        final boolean df;
        final boolean csum;
        final long tunId;
        final int dstPort;
        final int flags;
        final byte[] options;
        final TnlTemplate template;

        Template(TunnelOps ops, long dmac, long smac, long srcHi, long srcLo, long dstHi, long dstLo, int tos, int ttl,
                boolean df, boolean csum, long tunId, int dstPort, int flags, byte[] options, TnlTemplate template) {
            this.ops = ops;
            this.dmac = dmac;
            this.smac = smac;
            this.srcHi = srcHi;
            this.srcLo = srcLo;
            this.dstHi = dstHi;
            this.dstLo = dstLo;
            this.tos = tos;
            this.ttl = ttl;
            this.df = df;
            this.csum = csum;
            this.tunId = tunId;
            this.dstPort = dstPort;
            this.flags = flags;
            this.options = options;
            this.template = template;
        }

        boolean is(TunnelOps o, long dm, long sm, long sh, long sl, long dh, long dl, int to, int tt, boolean d,
                boolean c, long id, int port, int fl, byte[] opts, int optsLength) {
            return ops == o && dmac == dm && smac == sm && srcHi == sh && srcLo == sl && dstHi == dh && dstLo == dl
                    && tos == to && ttl == tt && df == d && csum == c && tunId == id && dstPort == port && flags == fl
                    && Arrays.equals(options, 0, options.length, opts, 0, optsLength);
        }
    }

    /** Translation start: no popped options to mask yet. */
    public void beginTranslation() {
        udpifLength = 0;
        awaiting = null;
    }

    /** The next hop this translation missed and may wait for, or null ({@link NeighbourCache#hold}). */
    public NeighbourCache.Probe awaitingNeighbour() {
        return awaiting;
    }

    /**
     * Translation end (OVS's {@code tun_metadata_to_geneve_udpif_mask}): if a popped packet's
     * options were mapped in this pass, turns {@code mask}'s metadata words from the {@code tun_metadataN}
     * form the tables wrote into the raw form of the datapath key: each option's header exact
     * (class, type, length; not the reserved bits), its data as masked through its
     * {@code tun_metadataN}, an unmapped option's data not at all. If the pass mapped none but
     * {@code key} holds raw options (a recirculated pass), the metadata words leave the mask.
     */
    public void finishMask(FlowMask mask, FlowKey key) {
        long[] w = mask.words();
        if (udpifLength == 0) {
            if ((key.get(FlowField.TUN_FLAGS) & UdpTunnel.FLAG_UDPIF) != 0) {
                // A thawed pass: the tun_metadataN the tables read came from the frozen state
                // (which the recirc id names), not from the raw options in the key.
                Arrays.fill(w, FlowKey.TUN_METADATA_WORD, FlowKey.PIPELINE_WORD, 0L);
            }
            return;
        }
        System.arraycopy(w, FlowKey.TUN_METADATA_WORD, fieldMasks, 0, FlowKey.TUN_METADATA_WORDS);
        Arrays.fill(w, FlowKey.TUN_METADATA_WORD, FlowKey.PIPELINE_WORD, 0L);
        for (int j = 0; j < options; j++) {
            int at = optionAt[j];
            orInt(w, at, GENEVE_OPTION_HEADER_MASK);
            int index = optionIndex[j];
            if (index >= 0) {
                int[] extension = optionExtension[j];
                for (int e = 0; e < extension.length; e++) {
                    orInt(w, at + 4 + 4 * e, slotMask(extension[e]));
                }
                if (optionLength[j] >= TlvMap.SLOT_BYTES) {
                    orInt(w, at + optionLength[j], slotMask(index));
                }
            }
        }
        udpifLength = 0;
    }

    /** The tables' mask of slot {@code slot} (the 32 bits of {@code tun_metadata<slot>}), as saved by {@link #finishMask}. */
    private int slotMask(int slot) {
        FlowField f = FlowField.tunMetadata(slot);
        return (int) (fieldMasks[f.word() - FlowKey.TUN_METADATA_WORD] >>> f.shift());
    }

    /** ORs {@code v} into the big-endian 32 bits at byte {@code at} (a multiple of 4) of the metadata words. */
    private static void orInt(long[] w, int at, int v) {
        int word = FlowKey.TUN_METADATA_WORD + (at >>> 3);
        w[word] |= (at & 4) == 0 ? (long) v << 32 : v & 0xffff_ffffL;
    }

    /**
     * The header template for these fields and the Geneve options in {@link #pushOptions}
     * ({@link #pushOptionsLength} bytes; 0 for none) and tunnel {@code flags} (the header's
     * {@code FLAG_*} bits: Geneve's OAM): the one built last time for them, or a new
     * one (built by {@code ops}, which allocates: a first use, or an eviction by another header).
     */
    TnlTemplate template(TunnelOps ops, long dmac, long smac, long srcHi, long srcLo, long dstHi, long dstLo, int tos,
            int ttl, boolean df, boolean csum, long tunId, int dstPort, int flags) {
        long h = dmac * 31 + smac;
        h = h * 31 + srcLo;
        h = h * 31 + dstHi;
        h = h * 31 + dstLo;
        h = h * 31 + (tos << 8 | ttl);
        h = h * 31 + tunId;
        h = h * 31 + dstPort;
        h = h * 31 + flags;
        for (int i = 0; i < pushOptionsLength; i++) {
            h = h * 31 + pushOptions[i];
        }
        h *= 0x9e37_79b9_7f4a_7c15L;
        int slot = (int) (h >>> 58);
        Template t = templates[slot];
        if (t != null && t.is(ops, dmac, smac, srcHi, srcLo, dstHi, dstLo, tos, ttl, df, csum, tunId, dstPort, flags,
                pushOptions, pushOptionsLength)) {
            return t.template;
        }
        byte[] options = Arrays.copyOf(pushOptions, pushOptionsLength);
        boolean v6 = !IpAddress.isIpv4(dstHi, dstLo);
        TunnelHeaderParams params = new TunnelHeaderParams(dmac, smac, new IpAddress(srcHi, srcLo),
                new IpAddress(dstHi, dstLo), tos, ttl, df, csum, tunId, dstPort, flags, options);
        byte[] header = new byte[ops.headerLength(v6)];
        int length = ops.buildHeader(params, header);
        TnlTemplate made = TnlTemplate.of(ops.tnlType(), header, length);
        templates[slot] = new Template(ops, dmac, smac, srcHi, srcLo, dstHi, dstLo, tos, ttl, df, csum, tunId, dstPort,
                flags, options, made);
        return made;
    }
}
