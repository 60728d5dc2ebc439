package dev.jvswitch.ofproto.tnl;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.actions.DpActionsBuilder;
import dev.jvswitch.flowcache.actions.DropCause;
import dev.jvswitch.flowcache.actions.TnlTemplate;
import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.pmd.tunnel.IpAddress;
import dev.jvswitch.pmd.tunnel.TunnelConfig;
import dev.jvswitch.pmd.tunnel.TunnelOps;
import dev.jvswitch.pmd.tunnel.UdpTunnel;

/**
 * Output to a tunnel port (OVS's {@code tnl_port_send} and {@code native_tunnel_output}); see
 * {@link NativeTunnels} for the steps.
 *
 * <p><b>Thread-safety:</b> stateless but for the shared route table, neighbour cache and
 * counters, all safe for concurrent use.
 */
final class TunnelSend {
    private static final int IP_ECN_MASK = 0x03;
    private static final int IP_ECN_CE = 0x03;
    private static final int IP_ECN_ECT_0 = 0x02;
    private static final int IP_DSCP_MASK = 0xfc;

    private final RouteTable routes;
    private final NeighbourCache neighbours;
    private final TunnelCounters counters;
    private final TlvMaps tlvMaps;
    /** Ethernet, IPv4 or IPv6, UDP and Geneve's eight fixed bytes. */
    private static final int GENEVE_V4_FIXED = 50;
    private static final int GENEVE_V6_FIXED = 70;

    TunnelSend(RouteTable routes, NeighbourCache neighbours, TunnelCounters counters, TlvMaps tlvMaps) {
        this.tlvMaps = tlvMaps;
        this.routes = routes;
        this.neighbours = neighbours;
        this.counters = counters;
    }

    void push(TunnelContext ctx, TunnelTable t, TunnelPort tp) {
        FlowKey f = ctx.flow();
        FlowMask wc = ctx.wc();
        TunnelConfig cfg = tp.config();
        ctx.detail("output to native tunnel");
        // What the options and the inner packet decide, first, as OVS's tnl_port_send: a flow that
        // drops for want of a route or neighbour then matches what the one that pushes will.
        long tunId = cfg.key();
        if (cfg.keyFlow()) {
            wc.exact(FlowField.TUN_ID);
            tunId = f.get(FlowField.TUN_ID);
        }
        boolean ip = f.isIpv4() || f.isIpv6();
        int ttl = cfg.ttl();
        if (cfg.ttlInherit() && ip) {
            wc.exact(FlowField.NW_TTL);
            ttl = (int) f.get(FlowField.NW_TTL);
        }
        int tos = cfg.tos();
        if (ip) {
            long innerTos = f.get(FlowField.NW_TOS);
            long bits = IP_ECN_MASK | (cfg.tosInherit() ? IP_DSCP_MASK : 0);
            wc.bits(FlowField.NW_TOS, wc.get(FlowField.NW_TOS) | bits);
            if (cfg.tosInherit()) {
                tos = (int) innerTos & IP_DSCP_MASK;
            }
            tos |= (innerTos & IP_ECN_MASK) == IP_ECN_CE ? IP_ECN_ECT_0 : (int) innerTos & IP_ECN_MASK;
        }
        // Addresses as IpAddress's two words (IPv4-mapped), so that a warm upcall makes no object.
        long dstHi;
        long dstLo;
        if (cfg.remoteFlow()) {
            wc.exact(FlowField.TUN_DST);
            wc.exact(FlowField.TUN_IPV6_DST);
            long v4 = f.get(FlowField.TUN_DST);
            dstHi = v4 != 0 ? 0 : f.getHigh(FlowField.TUN_IPV6_DST);
            dstLo = v4 != 0 ? IpAddress.mappedLo((int) v4) : f.getLow(FlowField.TUN_IPV6_DST);
        } else {
            dstHi = cfg.remoteIp().hi();
            dstLo = cfg.remoteIp().lo();
        }
        if (dstHi == 0 && dstLo == 0) {
            ctx.warn("native tunnel: no tunnel destination (remote_ip=flow and no tun_dst set)");
            counters.routeMisses.increment();
            ctx.noteDrop(DropCause.TUNNEL_NO_ROUTE);
            return;
        }
        RouteTable.Route route = routes.lookup(dstHi, dstLo);
        long srcHi = 0;
        long srcLo = 0;
        if (cfg.localFlow()) {
            wc.exact(FlowField.TUN_SRC);
            wc.exact(FlowField.TUN_IPV6_SRC);
            long v4 = f.get(FlowField.TUN_SRC);
            srcHi = v4 != 0 ? 0 : f.getHigh(FlowField.TUN_IPV6_SRC);
            srcLo = v4 != 0 ? IpAddress.mappedLo((int) v4) : f.getLow(FlowField.TUN_IPV6_SRC);
        } else if (cfg.localIp() != null) {
            srcHi = cfg.localIp().hi();
            srcLo = cfg.localIp().lo();
        }
        boolean srcGiven = srcHi != 0 || srcLo != 0;
        Endpoint e = route == null ? null : t.endpoint(route.bridge());
        if (route == null || e == null || (srcGiven && !e.owns(srcHi, srcLo))) {
            IpAddress dst = new IpAddress(dstHi, dstLo);
            ctx.warn("native tunnel routing failed: no route to " + dst
                    + (route == null ? "" : e == null ? " (bridge " + route.bridge() + " has no local-ip)"
                            : " from " + new IpAddress(srcHi, srcLo)));
            counters.routeMisses.increment();
            ctx.noteDrop(DropCause.TUNNEL_NO_ROUTE);
            return;
        }
        if (!srcGiven) {
            srcHi = route.src().hi();
            srcLo = route.src().lo();
        }
        if (ctx.tracing()) {
            ctx.detail("tunneling to " + new IpAddress(dstHi, dstLo) + " via " + route.bridge());
        }
        boolean onLink = route.gateway().isAny();
        long hopHi = onLink ? dstHi : route.gateway().hi();
        long hopLo = onLink ? dstLo : route.gateway().lo();
        long dmac = neighbours.lookup(route.bridge(), hopHi, hopLo, ctx.nowNs());
        if (dmac < 0) {
            counters.neighbourMisses.increment();
            IpAddress nextHop = new IpAddress(hopHi, hopLo);
            ctx.detail("neighbor cache miss for " + nextHop + " on bridge " + route.bridge() + ", sending "
                    + (nextHop.isIpv4() ? "ARP" : "ND") + " request");
            NeighbourCache.Probe probe = new NeighbourCache.Probe(route.bridge(), nextHop, new IpAddress(srcHi, srcLo),
                    e.mac());
            if (ctx.maySendRequests()) {
                // The request goes out with this upcall's actions, on its PMD, before the next batch.
                if (neighbours.requestDue(probe, ctx.nowNs())) {
                    ctx.packetOut(NeighbourPackets.request(probe));
                    counters.requestsSent.increment();
                }
                ctx.tunnelScratch().awaiting = probe;
            } else if (!ctx.tracing()) {
                // A translation that sends nothing (a revalidator's, a held packet's replay): the
                // drop megaflow a revalidator keeps sends no upcall, so the request must come from
                // housekeeping (for a flow that had no route until now, say).
                neighbours.want(probe);
            }
            ctx.noteDrop(DropCause.TUNNEL_NEIGH_MISS);
            return;
        }
        if (ctx.tracing()) {
            ctx.detail("tunneling from " + Addresses.mac(e.mac()) + " " + new IpAddress(srcHi, srcLo) + " to "
                    + Addresses.mac(dmac) + " " + new IpAddress(dstHi, dstLo));
        }
        TunnelOps ops = tp.ops();
        boolean v6 = !IpAddress.isIpv4(dstHi, dstLo);
        TunnelScratch scratch = ctx.tunnelScratch();
        scratch.pushOptionsLength = 0;
        int flags = 0;
        if (ops.tnlType() == DpActions.TNL_TYPE_GENEVE) {
            // The template must fit the mbuf headroom: what is left of it after the fixed headers.
            int room = DpActions.MAX_TNL_HEADER_BYTES - (v6 ? GENEVE_V6_FIXED : GENEVE_V4_FIXED);
            int length = TunnelMetadata.toRaw(ctx, tlvMaps.get(tp.bridge()), scratch.pushOptions, room);
            if (length < 0) {
                ctx.warn("native tunnel: geneve options longer than the " + room + " bytes of headroom left");
                ctx.noteDrop(DropCause.TUNNEL_NO_ROUTE);
                return;
            }
            scratch.pushOptionsLength = length;
            // OVS keeps a flow's public tunnel flags on output: OAM (set_field, or from the packet's own tunnel).
            wc.bits(FlowField.TUN_FLAGS, wc.get(FlowField.TUN_FLAGS) | UdpTunnel.FLAG_OAM);
            flags = (int) ctx.flow().get(FlowField.TUN_FLAGS) & UdpTunnel.FLAG_OAM;
        }
        TnlTemplate header = scratch.template(ops, dmac, e.mac(), srcHi, srcLo, dstHi, dstLo, tos, ttl,
                cfg.dfDefault(), cfg.csum() || v6, tunId, cfg.dstPort(), flags);
        ctx.commitInner();
        // A push within the underlay of another push (tunnel over tunnel) takes fresh objects.
        boolean nested = scratch.busy;
        scratch.busy = true;
        DpActions sent;
        DpActionsBuilder outer;
        try {
            FlowKey outerKey = outerFlow(nested ? new FlowKey() : scratch.outer, e.mac(), dmac, srcHi, srcLo, dstHi,
                    dstLo, tos, ttl, cfg.dstPort());
            outer = ctx.swapActions(nested ? DpActions.builder() : scratch.sent.reset());
            ctx.underlay(route.bridge(), outerKey);
            sent = ctx.build(ctx.swapActions(outer));
        } finally {
            scratch.busy = nested;
        }
        int outPort = firstOutput(sent);
        if (outPort < 0) {
            ctx.warn("native tunnel: bridge " + route.bridge() + " sends the encapsulated packet nowhere");
            return;
        }
        DpActionsBuilder clone = nested ? DpActions.builder() : scratch.clone.reset();
        clone.tnlPush(tp.dpPort(), header, outPort);
        for (int i = 0; i < sent.length(); i++) {
            clone.append(sent, i);
        }
        outer.clone(ctx.build(clone));
        counters.pushes.increment();
    }

    /** The encapsulated packet's headers, as the underlay bridge's tables see it (in_port LOCAL), in {@code k}. */
    private static FlowKey outerFlow(FlowKey k, long ethSrc, long ethDst, long srcHi, long srcLo, long dstHi,
            long dstLo, int tos, int ttl, int dstPort) {
        k.clear();
        k.set(FlowField.IN_PORT, OfPorts.LOCAL);
        k.set(FlowField.ETH_DST, ethDst);
        k.set(FlowField.ETH_SRC, ethSrc);
        if (IpAddress.isIpv4(dstHi, dstLo)) {
            k.set(FlowField.ETH_TYPE, FlowKey.ETH_TYPE_IPV4);
            k.set(FlowField.NW_SRC, srcLo & 0xffff_ffffL);
            k.set(FlowField.NW_DST, dstLo & 0xffff_ffffL);
        } else {
            k.set(FlowField.ETH_TYPE, FlowKey.ETH_TYPE_IPV6);
            k.set(FlowField.IPV6_SRC, srcHi, srcLo);
            k.set(FlowField.IPV6_DST, dstHi, dstLo);
        }
        k.set(FlowField.NW_PROTO, FlowKey.IPPROTO_UDP);
        k.set(FlowField.NW_TOS, tos);
        k.set(FlowField.NW_TTL, ttl);
        k.set(FlowField.TP_DST, dstPort);
        return k;
    }

    private static int firstOutput(DpActions p) {
        for (int i = 0; i < p.length(); i++) {
            if (p.op(i) == DpActions.OP_OUTPUT) {
                return p.a(i);
            }
            if (p.op(i) == DpActions.OP_CLONE) {
                int inner = firstOutput(p.sub(i));
                if (inner >= 0) {
                    return inner;
                }
            }
        }
        return -1;
    }

    static IpAddress tunnelAddress(FlowKey f, FlowField v4, FlowField v6) {
        return NativeTunnels.tunnelAddress(f, v4, v6);
    }
}
