package dev.jvswitch.ofproto.tnl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

import dev.jvswitch.flowcache.actions.DropCause;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.pmd.tunnel.IpAddress;
import dev.jvswitch.pmd.tunnel.TunnelOps;

/**
 * Native tunnelling on the OpenFlow side (OVS's native tunnel parts of
 * {@code ofproto-dpif-xlate.c} with {@code ofproto/tunnel.c}): the {@link TunnelOutput} hooks,
 * over one route table, one neighbour cache and the current {@link TunnelTable}, shared by every
 * tunnel type.
 *
 * <p><b>Output to a tunnel port</b> ({@code tnl_port_send}, {@code native_tunnel_output}):
 * <ol>
 *   <li>the tunnel fields come from the port's options, or from the flow where an option is
 *       {@code flow} ({@code tun_dst}/{@code tun_ipv6_dst}, {@code tun_src}, {@code tun_id});
 *       TTL and DSCP from the options or the inner packet ({@code inherit}); ECN always from the
 *       inner packet (CE becomes ECT(0));</li>
 *   <li>the route to the destination gives the underlay bridge, the next hop and the source
 *       (unless {@code local_ip} gives it); no route: the packet is dropped
 *       ({@link DropCause#TUNNEL_NO_ROUTE});</li>
 *   <li>the next hop's MAC from the neighbour cache; a miss drops the packet
 *       ({@link DropCause#TUNNEL_NEIGH_MISS}) and, for a packet really sent (an upcall or a
 *       controller's packet-out, as OVS), sends an ARP request or neighbour solicitation (at
 *       most one a second per next hop; {@link #onTick} retries); a revalidator's translation
 *       records the need and {@link #onTick} sends the request, since the drop megaflow it keeps
 *       sends no upcall;</li>
 *   <li>the tunnel port's {@link TunnelOps} builds the header template, and translation emits
 *       {@code clone(tnl_push(tnl_port(T),header(...),out_port(U)),...)} where the actions after
 *       the push are those of the encapsulated packet run through the underlay bridge's tables
 *       from its {@code LOCAL} port (normally NORMAL, to the port the next hop was learned on),
 *       and U is the first port they output to. The clone goes away when it ends the program.</li>
 * </ol>
 *
 * <p><b>Output to an endpoint's {@code LOCAL} port</b> ({@code terminate_native_tunnel}): a UDP
 * packet to the endpoint's MAC and address on a tunnel UDP port becomes {@code tnl_pop(L)}, L the
 * listener datapath port; a fragment for the endpoint is dropped
 * ({@link DropCause#TUNNEL_FRAGMENT}); ARP and ND requests for the endpoint's addresses are
 * answered, and replies (and gratuitous ARP) snooped into the neighbour cache, on the slow path
 * (every such packet is an upcall); other packets for the endpoint are dropped
 * ({@link DropCause#LOCAL_NO_STACK}). When the LOCAL port is a device of the host (a TAP holding
 * the endpoint's addresses, as OVS's {@code br-phy}), only the tunnel packets are popped; ARP
 * replies and ND advertisements are snooped, and everything goes on to the device, whose stack
 * answers for its addresses.
 *
 * <p><b>Receive</b> ({@code tnl_port_receive}): a packet recirculated by {@code tnl_pop} belongs
 * to the tunnel port its metadata selects ({@link TunnelTable#receive}); the megaflow matches the
 * tunnel id, addresses, TOS and flags, as OVS's {@code tnl_wc_init}. A CE-marked outer header
 * marks an ECN-capable inner packet CE, and drops one that is not ECN-capable.
 *
 * <p><b>Thread-safety:</b> the hooks run on every translating thread at once: they read the
 * table through one volatile load each, and the route table and neighbour cache are safe for
 * concurrent use. {@link #configure} and the route commands come from control threads; every
 * change runs {@code onChange} (the switch's {@code revalSeq}). Counters are {@code LongAdder}s.
 */
public final class NativeTunnels implements TunnelOutput {
    private static final int IP_ECN_MASK = 0x03;
    private static final int IP_ECN_CE = 0x03;
    private static final int TNL_F_DF = 2;
    private static final int TNL_F_CSUM = 4;
    private static final int TNL_F_KEY = 8;

    private final Runnable onChange;
    private final RouteTable routes;
    private final NeighbourCache neighbours;
    private volatile TunnelTable table = TunnelTable.EMPTY;
    /** What {@link #configure} was last given, so that giving the same again changes nothing. */
    private List<Object> lastInputs = List.of();

    private final TunnelCounters counters = new TunnelCounters();
    private final TunnelSend send;
    private final TlvMaps tlvMaps;
    private final EndpointInput input;

    /** @param onChange run on every change that may alter a translation (grows {@code revalSeq}) */
    public NativeTunnels(Runnable onChange) {
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.routes = new RouteTable(onChange);
        this.neighbours = new NeighbourCache(onChange);
        this.tlvMaps = new TlvMaps(onChange);
        this.send = new TunnelSend(routes, neighbours, counters, tlvMaps);
        this.input = new EndpointInput(neighbours, counters);
    }

    // ------------------------------------------------------------------ configuration

    /**
     * Installs a configuration: the bridges' endpoints (with their connected and local routes),
     * the tunnel ports, and the config file's routes (replacing the previous file's; routes added
     * by command stay). The same configuration again changes nothing.
     *
     * @return the announcements to send: a gratuitous ARP (and an unsolicited neighbour
     *         advertisement) for each new or changed endpoint, so that peers that knew its old
     *         MAC learn the new one at once
     *
     * @throws IllegalArgumentException naming what conflicts (two tunnel types on one UDP port, a
     *                                  route no endpoint can take), changing nothing
     */
    public synchronized List<PacketOut> configure(List<Endpoint> endpoints, List<TunnelPort> ports,
            List<RouteRequest> configured) {
        List<Object> inputs = List.of(List.copyOf(endpoints), List.copyOf(ports), List.copyOf(configured));
        if (inputs.equals(lastInputs)) {
            return List.of();
        }
        TunnelTable next = new TunnelTable(ports, endpoints);
        List<RouteTable.Route> userRoutes = new ArrayList<>();
        for (RouteRequest r : configured) {
            userRoutes.add(route(r, next, true));
        }
        List<RouteTable.Route> derived = new ArrayList<>();
        for (Endpoint e : endpoints) {
            for (IpAddress ip : new IpAddress[] {e.ipv4(), e.ipv6()}) {
                if (ip != null) {
                    int plen = ip.fullPrefix(ip.isIpv4() ? e.plen4() : e.plen6());
                    derived.add(new RouteTable.Route(ip, 128, e.bridge(), IpAddress.ANY, ip, RouteTable.Kind.LOCAL,
                            false));
                    derived.add(new RouteTable.Route(ip, plen, e.bridge(), IpAddress.ANY, ip, RouteTable.Kind.CACHED,
                            false));
                }
            }
        }
        List<PacketOut> announce = new ArrayList<>();
        for (Endpoint e : endpoints) {
            if (!e.equals(table.endpoint(e.bridge()))) {
                announce.addAll(NeighbourPackets.announce(e));
            }
        }
        table = next;
        routes.replace(derived, userRoutes);
        lastInputs = inputs;
        onChange.run();
        return announce;
    }

    /**
     * A user route from {@code ovs/route/add}'s arguments, checked against the current endpoints:
     * {@code prefix} as {@code IP/PLEN}, the bridge, an optional gateway and an optional source.
     *
     * @throws IllegalArgumentException OVS's messages: {@code Invalid 'ip/plen' parameter},
     *         {@code Invalid pkt_mark, IP gateway or src_ip}, and
     *         {@code Error while inserting route.} with the reason
     */
    public RouteTable.Route userRoute(RouteRequest request) {
        return route(request, table, false);
    }

    private static RouteTable.Route route(RouteRequest r, TunnelTable t, boolean fromConfig) {
        String prefix = r.prefix();
        String bridge = r.bridge();
        String gateway = r.gateway();
        String src = r.src();
        int slash = prefix.indexOf('/');
        IpAddress net;
        int plen;
        try {
            net = IpAddress.parse(slash < 0 ? prefix : prefix.substring(0, slash));
            int max = net.isIpv4() ? 32 : 128;
            plen = slash < 0 ? max : Integer.parseInt(prefix.substring(slash + 1).trim());
            if (plen < 0 || plen > max) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid 'ip/plen' parameter: '" + prefix + "'");
        }
        IpAddress gw = IpAddress.ANY;
        IpAddress source = null;
        try {
            if (gateway != null) {
                gw = IpAddress.parse(gateway);
            }
            if (src != null) {
                source = IpAddress.parse(src);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid pkt_mark, IP gateway or src_ip: " + e.getMessage());
        }
        if ((!gw.isAny() && gw.isIpv4() != net.isIpv4()) || (source != null && source.isIpv4() != net.isIpv4())) {
            throw new IllegalArgumentException("Invalid pkt_mark, IP gateway or src_ip: address family differs from "
                    + prefix);
        }
        Endpoint e = t.endpoint(bridge);
        IpAddress own = e == null ? null : e.addressLike(net);
        if (own == null) {
            throw new IllegalArgumentException("Error while inserting route: bridge " + bridge + " has no "
                    + (net.isIpv4() ? "IPv4" : "IPv6") + " local-ip");
        }
        if (source != null && !source.equals(own)) {
            throw new IllegalArgumentException("Error while inserting route: src " + source + " is not an address of "
                    + bridge + " (" + own + ")");
        }
        return new RouteTable.Route(net, net.fullPrefix(plen), bridge, gw, own, RouteTable.Kind.USER, fromConfig);
    }

    public RouteTable routes() {
        return routes;
    }

    public NeighbourCache neighbours() {
        return neighbours;
    }

    /** The endpoint of {@code bridge}, or null. */
    public Endpoint endpoint(String bridge) {
        return table.endpoint(bridge);
    }

    /** OVS's {@code tnl/ports/show [-v]}. */
    public String showPorts(boolean verbose) {
        return table.show(verbose);
    }

    /**
     * {@code tnl/neigh/set}: learns {@code ip} at {@code mac} on {@code bridge}.
     *
     * @return the packets held for {@code ip} ({@link NeighbourCache#hold}), to send with
     *         {@code Ofproto.sendPacketOuts}
     */
    public List<PacketOut> setNeighbour(String bridge, IpAddress ip, long mac, long nowNs) {
        return neighbours.set(bridge, ip, mac, nowNs);
    }

    /**
     * Housekeeping, every few hundred milliseconds (the revalidators' cycle end): ages the
     * neighbour cache and returns the requests to send now (retries and refreshes).
     */
    public List<PacketOut> onTick(long nowNs) {
        TunnelTable t = table;
        List<PacketOut> out = new ArrayList<>();
        for (NeighbourCache.Probe p : neighbours.onTick(nowNs, (bridge, ip) -> {
            Endpoint e = t.endpoint(bridge);
            IpAddress src = e == null ? null : e.addressLike(ip);
            return src == null ? null : new NeighbourCache.Probe(bridge, ip, src, e.mac());
        })) {
            out.add(NeighbourPackets.request(p));
            counters.requestsSent.increment();
        }
        return out;
    }

    /** Counters for {@code coverage/show}. */
    public Map<String, Long> coverage() {
        Map<String, Long> c = counters.snapshot();
        long[] held = neighbours.heldCounts();
        c.put("tnl_neigh_held", held[0]);
        c.put("tnl_neigh_held_sent", held[1]);
        c.put("tnl_neigh_held_dropped", held[2]);
        return c;
    }

    /**
     * Keeps a copy of a packet whose upcall missed next hop {@code awaiting} until it is learned
     * ({@link NeighbourCache#hold}), unless it came out of a tunnel: its replay would lack the
     * tunnel metadata, which lives beside the frame, not in it. A recirculated pass (after
     * {@code ct}) is held as it is: its key names the frozen state its replay resumes, and its
     * frame is the packet as that pass saw it; if the state is gone by then, the replay drops.
     */
    @Override
    public void hold(NeighbourCache.Probe awaiting, byte[] frame, FlowKey key, long nowNs) {
        if (key.get(FlowField.TUN_DST) != 0 || key.getHigh(FlowField.TUN_IPV6_DST) != 0
                || key.getLow(FlowField.TUN_IPV6_DST) != 0) {
            return;
        }
        neighbours.hold(awaiting, frame, key, nowNs);
    }

    // ------------------------------------------------------------------ hooks

    @Override
    public boolean onOutput(TunnelContext ctx, OfPort port) {
        TunnelTable t = table;
        if (port.isLocal()) {
            Endpoint e = t.endpoint(ctx.bridgeName());
            if (e == null) {
                return false;
            }
            input.local(ctx, t, e);
            return true;
        }
        if (port.ofPort() == OfPorts.LOCAL) {
            // The bridge's own port is a host device: the host's stack has the endpoint's addresses.
            Endpoint e = t.endpoint(ctx.bridgeName());
            return e != null && input.localDevice(ctx, t, e);
        }
        TunnelPort tp = t.byName(port.name());
        if (tp == null) {
            return false;
        }
        send.push(ctx, t, tp);
        return true;
    }

    /** Every bridge's TLV map ({@code ofctl/add-tlv-map}): Geneve options as {@code tun_metadataN}. */
    public TlvMaps tlvMaps() {
        return tlvMaps;
    }

    @Override
    public TlvMap tlvMap(String bridge) {
        return tlvMaps.get(bridge);
    }

    /** The datapath operations of tunnel datapath port {@code dpPort}, or null. */
    public TunnelOps tunnelOps(int dpPort) {
        TunnelPort p = table.byDpPort(dpPort);
        return p == null ? null : p.ops();
    }

    @Override
    public boolean isTunnel(int dpPort) {
        return table.byDpPort(dpPort) != null;
    }

    @Override
    public String onReceive(TunnelContext ctx, int dpPort) {
        FlowKey f = ctx.flow();
        FlowMask wc = ctx.wc();
        wc.exact(FlowField.TUN_ID);
        boolean v4 = f.get(FlowField.TUN_DST) != 0 || f.get(FlowField.TUN_SRC) != 0;
        if (v4) {
            wc.exact(FlowField.TUN_SRC);
            wc.exact(FlowField.TUN_DST);
        } else {
            wc.exact(FlowField.TUN_IPV6_SRC);
            wc.exact(FlowField.TUN_IPV6_DST);
        }
        wc.bits(FlowField.TUN_FLAGS, wc.get(FlowField.TUN_FLAGS) | TNL_F_DF | TNL_F_CSUM | TNL_F_KEY);
        wc.exact(FlowField.TUN_TOS);
        // The addresses as words, as IpAddress holds them (IPv4-mapped), so that no object is made.
        long remoteHi = v4 ? 0 : f.getHigh(FlowField.TUN_IPV6_SRC);
        long remoteLo = v4 ? mapped(f.get(FlowField.TUN_SRC)) : f.getLow(FlowField.TUN_IPV6_SRC);
        long localHi = v4 ? 0 : f.getHigh(FlowField.TUN_IPV6_DST);
        long localLo = v4 ? mapped(f.get(FlowField.TUN_DST)) : f.getLow(FlowField.TUN_IPV6_DST);
        TunnelPort p = table.receive(dpPort, f.get(FlowField.TUN_ID), remoteHi, remoteLo, localHi, localLo);
        if (p == null) {
            counters.receiveMisses.increment();
            ctx.warn("receive tunnel port not found (tun_id=0x" + Long.toHexString(f.get(FlowField.TUN_ID))
                    + ", src=" + tunnelAddress(f, FlowField.TUN_SRC, FlowField.TUN_IPV6_SRC) + ", dst="
                    + tunnelAddress(f, FlowField.TUN_DST, FlowField.TUN_IPV6_DST) + ")");
            return null;
        }
        if (!ecnOnReceive(ctx, f)) {
            return null;
        }
        if (!TunnelMetadata.fromRaw(ctx, tlvMaps.get(p.bridge()))) {
            counters.criticalOptionDrops.increment();
            return null;
        }
        return p.name();
    }

    /** OVS's {@code tnl_process_ecn}: a CE outer header marks the inner packet, if it can carry ECN. */
    private static boolean ecnOnReceive(TunnelContext ctx, FlowKey f) {
        if ((f.get(FlowField.TUN_TOS) & IP_ECN_MASK) != IP_ECN_CE || !(f.isIpv4() || f.isIpv6())) {
            return true;
        }
        FlowMask wc = ctx.wc();
        wc.bits(FlowField.NW_TOS, wc.get(FlowField.NW_TOS) | IP_ECN_MASK);
        long tos = f.get(FlowField.NW_TOS);
        if ((tos & IP_ECN_MASK) == 0) {
            ctx.warn("dropping tunnel packet marked ECN CE but is not ECN capable");
            return false;
        }
        f.set(FlowField.NW_TOS, tos | IP_ECN_CE);
        return true;
    }

    /** The low word of the IPv4-mapped form of IPv4 address {@code ipv4} ({@link IpAddress#ofIpv4}); 0 stays 0. */
    static long mapped(long ipv4) {
        return ipv4 == 0 ? 0 : IpAddress.mappedLo((int) ipv4);
    }

    /** The IPv4 field as an address if set, else the IPv6 one if set, else null. */
    static IpAddress tunnelAddress(FlowKey f, FlowField v4, FlowField v6) {
        long a = f.get(v4);
        if (a != 0) {
            return IpAddress.ofIpv4((int) a);
        }
        long hi = f.getHigh(v6);
        long lo = f.getLow(v6);
        return hi == 0 && lo == 0 ? null : new IpAddress(hi, lo);
    }
}
