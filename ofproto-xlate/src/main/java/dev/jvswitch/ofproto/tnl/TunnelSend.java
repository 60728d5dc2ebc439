package dev.jvswitch.ofproto.tnl;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.actions.DpActionsBuilder;
import dev.jvswitch.flowcache.actions.DropCause;
import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.pmd.tunnel.IpAddress;
import dev.jvswitch.pmd.tunnel.TunnelConfig;
import dev.jvswitch.pmd.tunnel.TunnelHeaderParams;
import dev.jvswitch.pmd.tunnel.TunnelOps;

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

    TunnelSend(RouteTable routes, NeighbourCache neighbours, TunnelCounters counters) {
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
        IpAddress dst = cfg.remoteIp();
        if (cfg.remoteFlow()) {
            wc.exact(FlowField.TUN_DST);
            wc.exact(FlowField.TUN_IPV6_DST);
            dst = tunnelAddress(f, FlowField.TUN_DST, FlowField.TUN_IPV6_DST);
        }
        if (dst == null) {
            ctx.warn("native tunnel: no tunnel destination (remote_ip=flow and no tun_dst set)");
            counters.routeMisses.increment();
            ctx.noteDrop(DropCause.TUNNEL_NO_ROUTE);
            return;
        }
        RouteTable.Route route = routes.lookup(dst);
        IpAddress src = cfg.localIp();
        if (cfg.localFlow()) {
            wc.exact(FlowField.TUN_SRC);
            wc.exact(FlowField.TUN_IPV6_SRC);
            src = tunnelAddress(f, FlowField.TUN_SRC, FlowField.TUN_IPV6_SRC);
        }
        Endpoint e = route == null ? null : t.endpoint(route.bridge());
        if (route == null || e == null || (src != null && !e.owns(src))) {
            ctx.warn("native tunnel routing failed: no route to " + dst
                    + (route == null ? "" : e == null ? " (bridge " + route.bridge() + " has no local-ip)"
                            : " from " + src));
            counters.routeMisses.increment();
            ctx.noteDrop(DropCause.TUNNEL_NO_ROUTE);
            return;
        }
        if (src == null) {
            src = route.src();
        }
        ctx.detail("tunneling to " + dst + " via " + route.bridge());
        IpAddress nextHop = route.nextHop(dst);
        long dmac = neighbours.lookup(route.bridge(), nextHop, ctx.nowNs());
        if (dmac < 0) {
            counters.neighbourMisses.increment();
            ctx.detail("neighbor cache miss for " + nextHop + " on bridge " + route.bridge() + ", sending "
                    + (nextHop.isIpv4() ? "ARP" : "ND") + " request");
            NeighbourCache.Probe probe = new NeighbourCache.Probe(route.bridge(), nextHop, src, e.mac());
            if (ctx.mayLearn() && neighbours.requestDue(probe, ctx.nowNs())) {
                ctx.packetOut(NeighbourPackets.request(probe));
                counters.requestsSent.increment();
            }
            ctx.noteDrop(DropCause.TUNNEL_NEIGH_MISS);
            return;
        }
        ctx.detail("tunneling from " + Addresses.mac(e.mac()) + " " + src + " to " + Addresses.mac(dmac) + " " + dst);
        TunnelOps ops = tp.ops();
        boolean v6 = !dst.isIpv4();
        TunnelHeaderParams params = new TunnelHeaderParams(dmac, e.mac(), src, dst, tos, ttl, cfg.dfDefault(),
                cfg.csum() || v6, tunId, cfg.dstPort());
        byte[] header = new byte[ops.headerLength(v6)];
        int length = ops.buildHeader(params, header);
        ctx.commitInner();
        DpActionsBuilder outer = ctx.swapActions(DpActions.builder());
        ctx.underlay(route.bridge(), outerFlow(params, dst));
        DpActions sent = ctx.swapActions(outer).build();
        int outPort = firstOutput(sent);
        if (outPort < 0) {
            ctx.warn("native tunnel: bridge " + route.bridge() + " sends the encapsulated packet nowhere");
            return;
        }
        DpActionsBuilder clone = DpActions.builder().tnlPush(tp.dpPort(), ops.tnlType(),
                java.util.Arrays.copyOf(header, length), outPort);
        for (int i = 0; i < sent.length(); i++) {
            clone.append(sent, i);
        }
        outer.clone(clone.build());
        counters.pushes.increment();
    }

    /** The encapsulated packet's headers, as the underlay bridge's tables see it (in_port LOCAL). */
    private static FlowKey outerFlow(TunnelHeaderParams p, IpAddress dst) {
        FlowKey k = new FlowKey();
        k.set(FlowField.IN_PORT, OfPorts.LOCAL);
        k.set(FlowField.ETH_DST, p.ethDst());
        k.set(FlowField.ETH_SRC, p.ethSrc());
        if (dst.isIpv4()) {
            k.set(FlowField.ETH_TYPE, FlowKey.ETH_TYPE_IPV4);
            k.set(FlowField.NW_SRC, p.src().ipv4() & 0xffff_ffffL);
            k.set(FlowField.NW_DST, dst.ipv4() & 0xffff_ffffL);
        } else {
            k.set(FlowField.ETH_TYPE, FlowKey.ETH_TYPE_IPV6);
            k.set(FlowField.IPV6_SRC, p.src().hi(), p.src().lo());
            k.set(FlowField.IPV6_DST, dst.hi(), dst.lo());
        }
        k.set(FlowField.NW_PROTO, FlowKey.IPPROTO_UDP);
        k.set(FlowField.NW_TOS, p.tos());
        k.set(FlowField.NW_TTL, p.ttl());
        k.set(FlowField.TP_DST, p.dstPort());
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
