package dev.jvswitch.ofproto.tnl;

import java.util.Arrays;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.actions.DpActionsBuilder;
import dev.jvswitch.flowcache.actions.TnlTemplate;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.tunnel.GeneveHeaderFlyweight;
import dev.jvswitch.pmd.tunnel.IpAddress;
import dev.jvswitch.pmd.tunnel.TunnelHeaderParams;
import dev.jvswitch.pmd.tunnel.TunnelOps;

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

    final FlowKey outer = new FlowKey();
    final DpActionsBuilder sent = DpActions.builder();
    final DpActionsBuilder clone = DpActions.builder();
    /** A popped packet's raw tunnel options while {@link TunnelMetadata#fromRaw} maps them. */
    final long[] rawOptions = new long[FlowKey.TUN_METADATA_WORDS];
    /** The Geneve options of the header being built, {@code [0, pushOptionsLength)}. */
    final byte[] pushOptions = new byte[GeneveHeaderFlyweight.MAX_OPTIONS_BYTES];
    int pushOptionsLength;
    boolean busy;

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
        final byte[] options;
        final TnlTemplate template;

        Template(TunnelOps ops, long dmac, long smac, long srcHi, long srcLo, long dstHi, long dstLo, int tos, int ttl,
                boolean df, boolean csum, long tunId, int dstPort, byte[] options, TnlTemplate template) {
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
            this.options = options;
            this.template = template;
        }

        boolean is(TunnelOps o, long dm, long sm, long sh, long sl, long dh, long dl, int to, int tt, boolean d,
                boolean c, long id, int port, byte[] opts, int optsLength) {
            return ops == o && dmac == dm && smac == sm && srcHi == sh && srcLo == sl && dstHi == dh && dstLo == dl
                    && tos == to && ttl == tt && df == d && csum == c && tunId == id && dstPort == port
                    && Arrays.equals(options, 0, options.length, opts, 0, optsLength);
        }
    }

    /**
     * The header template for these fields and the Geneve options in {@link #pushOptions}
     * ({@link #pushOptionsLength} bytes; 0 for none): the one built last time for them, or a new
     * one (built by {@code ops}, which allocates: a first use, or an eviction by another header).
     */
    TnlTemplate template(TunnelOps ops, long dmac, long smac, long srcHi, long srcLo, long dstHi, long dstLo, int tos,
            int ttl, boolean df, boolean csum, long tunId, int dstPort) {
        long h = dmac * 31 + smac;
        h = h * 31 + srcLo;
        h = h * 31 + dstHi;
        h = h * 31 + dstLo;
        h = h * 31 + (tos << 8 | ttl);
        h = h * 31 + tunId;
        h = h * 31 + dstPort;
        for (int i = 0; i < pushOptionsLength; i++) {
            h = h * 31 + pushOptions[i];
        }
        h *= 0x9e37_79b9_7f4a_7c15L;
        int slot = (int) (h >>> 58);
        Template t = templates[slot];
        if (t != null && t.is(ops, dmac, smac, srcHi, srcLo, dstHi, dstLo, tos, ttl, df, csum, tunId, dstPort,
                pushOptions, pushOptionsLength)) {
            return t.template;
        }
        byte[] options = Arrays.copyOf(pushOptions, pushOptionsLength);
        boolean v6 = !IpAddress.isIpv4(dstHi, dstLo);
        TunnelHeaderParams params = new TunnelHeaderParams(dmac, smac, new IpAddress(srcHi, srcLo),
                new IpAddress(dstHi, dstLo), tos, ttl, df, csum, tunId, dstPort, 0, options);
        byte[] header = new byte[ops.headerLength(v6)];
        int length = ops.buildHeader(params, header);
        TnlTemplate made = TnlTemplate.of(ops.tnlType(), header, length);
        templates[slot] = new Template(ops, dmac, smac, srcHi, srcLo, dstHi, dstLo, tos, ttl, df, csum, tunId, dstPort,
                options, made);
        return made;
    }
}
