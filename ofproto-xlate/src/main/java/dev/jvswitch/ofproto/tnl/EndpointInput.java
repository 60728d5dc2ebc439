package dev.jvswitch.ofproto.tnl;

import dev.jvswitch.flowcache.actions.DropCause;
import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.pmd.tunnel.IpAddress;

/**
 * Output to an endpoint bridge's {@code LOCAL} port, the switch's own addresses (OVS's
 * {@code terminate_native_tunnel}, with the ARP and ND answers the kernel behind OVS's
 * {@code br-phy} gives); see {@link NativeTunnels}.
 *
 * <p><b>Thread-safety:</b> stateless but for the shared neighbour cache and counters, both safe
 * for concurrent use.
 */
final class EndpointInput {
    private static final int ARP_REQUEST = 1;
    private static final int ARP_REPLY = 2;

    private final NeighbourCache neighbours;
    private final TunnelCounters counters;

    EndpointInput(NeighbourCache neighbours, TunnelCounters counters) {
        this.neighbours = neighbours;
        this.counters = counters;
    }

    /** Output to an endpoint bridge's LOCAL port: the switch's own address. */
    void local(TunnelContext ctx, TunnelTable t, Endpoint e) {
        FlowKey f = ctx.flow();
        FlowMask wc = ctx.wc();
        int ethType = f.ethType();
        if (ethType == FlowKey.ETH_TYPE_ARP) {
            arp(ctx, e);
            return;
        }
        if (ethType != FlowKey.ETH_TYPE_IPV4 && ethType != FlowKey.ETH_TYPE_IPV6) {
            ctx.detail("not for this switch: dropping at LOCAL");
            return;
        }
        // The destination as IpAddress's words: a tunnel packet's upcall makes no object.
        boolean v4 = ethType == FlowKey.ETH_TYPE_IPV4;
        long dstHi;
        long dstLo;
        if (v4) {
            wc.exact(FlowField.NW_DST);
            dstHi = 0;
            dstLo = IpAddress.mappedLo((int) f.get(FlowField.NW_DST));
        } else {
            wc.exact(FlowField.IPV6_DST);
            dstHi = f.getHigh(FlowField.IPV6_DST);
            dstLo = f.getLow(FlowField.IPV6_DST);
        }
        wc.exact(FlowField.NW_PROTO);
        int proto = f.nwProto();
        if (ethType == FlowKey.ETH_TYPE_IPV6 && proto == FlowKey.IPPROTO_ICMPV6) {
            if (nd(ctx, e)) {
                return;
            }
        }
        if (!e.owns(dstHi, dstLo)) {
            ctx.detail("not for this switch: dropping at LOCAL");
            return;
        }
        wc.exact(FlowField.NW_FRAG);
        if ((f.nwFrag() & FlowKey.FRAG_ANY) != 0) {
            ctx.warn("IP fragment for tunnel endpoint " + new IpAddress(dstHi, dstLo)
                    + ": fragments are not reassembled, dropping");
            ctx.noteDrop(DropCause.TUNNEL_FRAGMENT);
            return;
        }
        if (pop(ctx, t, e, v4, dstHi, dstLo)) {
            return;
        }
        if (ctx.tracing()) {
            ctx.detail("for " + new IpAddress(dstHi, dstLo) + " but not a tunnel packet: this switch has no IP stack,"
                    + " dropping");
        }
        ctx.noteDrop(DropCause.LOCAL_NO_STACK);
    }

    /**
     * Output to an endpoint bridge's LOCAL port that is a device of the host (a TAP, whose
     * addresses the endpoint's are), as OVS's {@code terminate_native_tunnel}: a tunnel packet for
     * the endpoint is popped; ARP replies and ND advertisements are snooped and still go to the
     * host, as does everything else (the host's stack answers ARP and ND for its addresses).
     *
     * @return true if the packet was consumed (popped or dropped), false to output it to the device
     */
    boolean localDevice(TunnelContext ctx, TunnelTable t, Endpoint e) {
        FlowKey f = ctx.flow();
        FlowMask wc = ctx.wc();
        int ethType = f.ethType();
        if (ethType == FlowKey.ETH_TYPE_ARP) {
            wc.exact(FlowField.ARP_OP);
            wc.exact(FlowField.ARP_SPA);
            wc.exact(FlowField.ARP_TPA);
            long sha = f.get(FlowField.ARP_SHA);
            IpAddress spa = IpAddress.ofIpv4((int) f.get(FlowField.ARP_SPA));
            boolean gratuitous = f.get(FlowField.ARP_SPA) == f.get(FlowField.ARP_TPA);
            if ((f.get(FlowField.ARP_OP) == ARP_REPLY || gratuitous) && sha != 0 && !spa.isAny()) {
                ctx.slowPath();
                if (ctx.mayLearn()) {
                    release(ctx, neighbours.set(e.bridge(), spa, sha, ctx.nowNs()));
                    counters.snooped.increment();
                }
                ctx.detail("snooped ARP: " + spa + " is at " + Addresses.mac(sha) + " on bridge " + e.bridge());
            }
            return false;
        }
        if (ethType != FlowKey.ETH_TYPE_IPV4 && ethType != FlowKey.ETH_TYPE_IPV6) {
            return false;
        }
        boolean v4 = ethType == FlowKey.ETH_TYPE_IPV4;
        wc.exact(FlowField.NW_PROTO);
        if (!v4 && f.nwProto() == FlowKey.IPPROTO_ICMPV6) {
            wc.exact(FlowField.ICMPV6_TYPE);
            wc.exact(FlowField.ICMPV6_CODE);
            if (f.get(FlowField.ICMPV6_TYPE) == FlowKey.ND_NEIGHBOR_ADVERT && f.get(FlowField.ICMPV6_CODE) == 0) {
                wc.exact(FlowField.ND_TARGET);
                wc.exact(FlowField.ND_TLL);
                long tll = f.get(FlowField.ND_TLL);
                if (tll != 0) {
                    IpAddress target = new IpAddress(f.getHigh(FlowField.ND_TARGET), f.getLow(FlowField.ND_TARGET));
                    ctx.slowPath();
                    if (ctx.mayLearn()) {
                        release(ctx, neighbours.set(e.bridge(), target, tll, ctx.nowNs()));
                        counters.snooped.increment();
                    }
                    ctx.detail("snooped ND: " + target + " is at " + Addresses.mac(tll) + " on bridge " + e.bridge());
                }
            }
            return false;
        }
        long dstHi;
        long dstLo;
        if (v4) {
            wc.exact(FlowField.NW_DST);
            dstHi = 0;
            dstLo = IpAddress.mappedLo((int) f.get(FlowField.NW_DST));
        } else {
            wc.exact(FlowField.IPV6_DST);
            dstHi = f.getHigh(FlowField.IPV6_DST);
            dstLo = f.getLow(FlowField.IPV6_DST);
        }
        if (!e.owns(dstHi, dstLo)) {
            return false;
        }
        wc.exact(FlowField.NW_FRAG);
        if ((f.nwFrag() & FlowKey.FRAG_ANY) != 0) {
            // The host reassembles what is not a tunnel packet; a tunnel's fragments it cannot use.
            return false;
        }
        return pop(ctx, t, e, v4, dstHi, dstLo);
    }

    /** A UDP packet to the endpoint's MAC on a tunnel port becomes {@code tnl_pop}; true if it did. */
    private boolean pop(TunnelContext ctx, TunnelTable t, Endpoint e, boolean v4, long dstHi, long dstLo) {
        FlowKey f = ctx.flow();
        FlowMask wc = ctx.wc();
        if (f.nwProto() == FlowKey.IPPROTO_UDP) {
            wc.exact(FlowField.TP_DST);
            wc.exact(FlowField.ETH_DST);
            wc.words()[FlowField.VLAN_TCI.word()] = -1L;
            int listener = t.listenerDpPort((int) f.get(FlowField.TP_DST));
            boolean untagged = (f.get(FlowField.VLAN_TCI) & FlowKey.VLAN_CFI) == 0;
            if (listener >= 0 && untagged && f.get(FlowField.ETH_DST) == e.mac()) {
                ctx.commit();
                ctx.actions().tnlPop(listener);
                counters.pops.increment();
                if (ctx.tracing()) {
                    ctx.detail("tunnel packet for " + new IpAddress(dstHi, dstLo) + ": tnl_pop(" + listener + ")");
                }
                if (ctx.mayLearn()) {
                    // As OVS: the remote end's address is at the frame's source (or its router's).
                    long srcHi = v4 ? 0 : f.getHigh(FlowField.IPV6_SRC);
                    long srcLo = v4 ? IpAddress.mappedLo((int) f.get(FlowField.NW_SRC)) : f.getLow(FlowField.IPV6_SRC);
                    release(ctx, neighbours.confirm(e.bridge(), srcHi, srcLo, f.get(FlowField.ETH_SRC), ctx.nowNs()));
                }
                return true;
            }
        }
        return false;
    }

    /** ARP at LOCAL: answer requests for the endpoint, snoop replies and gratuitous ARP. */
    private void arp(TunnelContext ctx, Endpoint e) {
        FlowKey f = ctx.flow();
        FlowMask wc = ctx.wc();
        wc.exact(FlowField.ARP_OP);
        wc.exact(FlowField.ARP_TPA);
        wc.exact(FlowField.ARP_SPA);
        int op = (int) f.get(FlowField.ARP_OP);
        IpAddress spa = IpAddress.ofIpv4((int) f.get(FlowField.ARP_SPA));
        IpAddress tpa = IpAddress.ofIpv4((int) f.get(FlowField.ARP_TPA));
        long sha = f.get(FlowField.ARP_SHA);
        boolean forUs = e.ipv4() != null && tpa.equals(e.ipv4());
        boolean gratuitous = spa.equals(tpa);
        if (!forUs && !gratuitous) {
            ctx.detail("ARP not for this switch: dropping at LOCAL");
            return;
        }
        if ((op != ARP_REQUEST && op != ARP_REPLY) || sha == 0 || spa.isAny()) {
            ctx.detail("ARP neither request nor reply: dropping at LOCAL");
            return;
        }
        // Each of these packets needs its own answer or update: none becomes a megaflow.
        ctx.slowPath();
        if (ctx.mayLearn()) {
            release(ctx, neighbours.set(e.bridge(), spa, sha, ctx.nowNs()));
            counters.snooped.increment();
        }
        ctx.detail("snooped ARP: " + spa + " is at " + Addresses.mac(sha) + " on bridge " + e.bridge());
        if (forUs && op == ARP_REQUEST && !gratuitous) {
            ctx.detail("answering ARP request for " + tpa);
            if (ctx.mayLearn()) {
                ctx.packetOut(NeighbourPackets.arpReply(e.bridge(), e.mac(), e.ipv4(), sha, spa));
                counters.repliesSent.increment();
            }
        }
    }

    /** ND at LOCAL: answer solicitations for the endpoint, snoop advertisements; false if neither. */
    private boolean nd(TunnelContext ctx, Endpoint e) {
        FlowKey f = ctx.flow();
        FlowMask wc = ctx.wc();
        wc.exact(FlowField.ICMPV6_TYPE);
        wc.exact(FlowField.ICMPV6_CODE);
        int type = (int) f.get(FlowField.ICMPV6_TYPE);
        if (f.get(FlowField.ICMPV6_CODE) != 0
                || (type != FlowKey.ND_NEIGHBOR_SOLICIT && type != FlowKey.ND_NEIGHBOR_ADVERT)) {
            return false;
        }
        wc.exact(FlowField.ND_TARGET);
        IpAddress target = new IpAddress(f.getHigh(FlowField.ND_TARGET), f.getLow(FlowField.ND_TARGET));
        if (type == FlowKey.ND_NEIGHBOR_ADVERT) {
            wc.exact(FlowField.ND_TLL);
            long tll = f.get(FlowField.ND_TLL);
            if (tll == 0) {
                // Linux leaves the target address option out of replies to unicast solicitations.
                ctx.detail("neighbour advertisement without target link-layer address: ignored");
                return true;
            }
            ctx.slowPath();
            if (ctx.mayLearn()) {
                release(ctx, neighbours.set(e.bridge(), target, tll, ctx.nowNs()));
                counters.snooped.increment();
            }
            ctx.detail("snooped ND: " + target + " is at " + Addresses.mac(tll) + " on bridge " + e.bridge());
            return true;
        }
        if (e.ipv6() == null || !target.equals(e.ipv6())) {
            ctx.detail("neighbour solicitation not for this switch: dropping at LOCAL");
            return true;
        }
        ctx.slowPath();
        wc.exact(FlowField.IPV6_SRC);
        wc.exact(FlowField.ND_SLL);
        IpAddress from = new IpAddress(f.getHigh(FlowField.IPV6_SRC), f.getLow(FlowField.IPV6_SRC));
        long sll = f.get(FlowField.ND_SLL);
        long toMac = sll != 0 ? sll : f.get(FlowField.ETH_SRC);
        if (ctx.mayLearn()) {
            if (sll != 0 && !from.isAny()) {
                release(ctx, neighbours.set(e.bridge(), from, sll, ctx.nowNs()));
                counters.snooped.increment();
            }
            ctx.packetOut(NeighbourPackets.ndAdvert(e.bridge(), e.mac(), e.ipv6(), toMac, from));
            counters.repliesSent.increment();
        }
        ctx.detail("answering neighbour solicitation for " + target);
        return true;
    }

    /**
     * Sends the packets held for a next hop just learned ({@link NeighbourCache#hold}) with this
     * translation's packet-outs: they leave right after it, on the same thread.
     */
    private static void release(TunnelContext ctx, java.util.List<PacketOut> held) {
        for (int i = 0, n = held.size(); i < n; i++) {
            ctx.packetOut(held.get(i));
        }
    }
}
