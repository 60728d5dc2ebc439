package dev.jvswitch.vswitchd.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.ofproto.tnl.NativeTunnels;
import dev.jvswitch.ofproto.tnl.NeighbourCache;
import dev.jvswitch.ofproto.tnl.RouteRequest;
import dev.jvswitch.ofproto.tnl.RouteTable;
import dev.jvswitch.pmd.tunnel.IpAddress;
import dev.jvswitch.vswitchd.ofproto.OfprotoException;
import dev.jvswitch.vswitchd.ofproto.OfprotoService;

/**
 * The tunnel commands, with OVS's names, arguments, replies and layouts: {@code tnl/ports/show
 * [-v]}, {@code tnl/neigh/show}, {@code tnl/neigh/flush}, {@code tnl/neigh/set BRIDGE IP MAC},
 * {@code ovs/route/show}, {@code ovs/route/add IP/PLEN BRIDGE [GW] [src=IP]},
 * {@code ovs/route/del IP/PLEN}. Changes answer {@code OK} as OVS's do; a route or neighbour
 * changed by command lasts until the daemon stops (a reload keeps it).
 *
 * <p><b>Thread-safety:</b> the handlers run where {@link CommandKind} says; the route table and
 * neighbour cache they touch are safe for any thread.
 */
final class TunnelCommands {
    private TunnelCommands() {
    }

    static void register(CommandRegistry r, OfprotoService sp) {
        r.register("tnl/ports/show", "[-v]", 0, 1, "tunnel ports listening for received packets", args -> {
            boolean verbose = !args.isEmpty();
            if (verbose && !args.get(0).equalsIgnoreCase("-v")) {
                throw CommandException.usage("tnl/ports/show: unknown option '" + args.get(0)
                        + "' (usage: tnl/ports/show [-v])");
            }
            return Reply.text(tunnels(sp).showPorts(verbose));
        });
        r.register("tnl/neigh/show", "", 0, 0, "the tunnel neighbour (ARP/ND) cache", args -> {
            NativeTunnels t = tunnels(sp);
            long now = sp.nowNs();
            List<Object> data = new ArrayList<>();
            for (NeighbourCache.Neighbour n : t.neighbours().entries(now)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ip", n.ip().toString());
                m.put("mac", Addresses.mac(n.mac()));
                m.put("bridge", n.bridge());
                m.put("stale", n.stale());
                data.add(m);
            }
            return Reply.of(t.neighbours().show(now), data);
        });
        r.register("tnl/neigh/flush", "", 0, 0, "forget every tunnel neighbour", args -> {
            tunnels(sp).neighbours().flush();
            return Reply.text("OK");
        });
        r.register("tnl/neigh/set", "BRIDGE IP MAC", 3, 3, "set a tunnel neighbour's MAC", args -> {
            IpAddress ip;
            try {
                ip = IpAddress.parse(args.get(1));
            } catch (IllegalArgumentException e) {
                throw CommandException.failed("bad IP address");
            }
            long mac;
            try {
                mac = Addresses.parseMac(args.get(2));
            } catch (IllegalArgumentException e) {
                throw CommandException.failed("bad MAC address");
            }
            NativeTunnels t = tunnels(sp);
            if (t.endpoint(args.get(0)) == null) {
                throw CommandException.failed("bridge " + args.get(0) + " is not a tunnel endpoint (no local-ip)");
            }
            // The packets held for this next hop go out now (as when a reply is snooped).
            try {
                sp.setNeighbour(args.get(0), ip, mac);
            } catch (OfprotoException e) {
                throw CommandException.failed(e.getMessage());
            }
            return Reply.text("OK");
        });
        r.register("ovs/route/show", "", 0, 0, "the routes tunnels are sent by", args -> {
            NativeTunnels t = tunnels(sp);
            List<Object> data = new ArrayList<>();
            for (RouteTable.Route route : t.routes().routes()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("prefix", route.prefix() + "/" + route.plen());
                m.put("bridge", route.bridge());
                m.put("gateway", route.gateway().isAny() ? null : route.gateway().toString());
                m.put("src", route.src().toString());
                m.put("kind", route.kind().name().toLowerCase(java.util.Locale.ROOT));
                data.add(m);
            }
            return Reply.of(t.routes().show(), data);
        });
        r.register("ovs/route/add", "IP/PLEN BRIDGE [GW] [src=IP]", 2, 4, "add a route for tunnels", args -> {
            String gw = null;
            String src = null;
            for (String a : args.subList(2, args.size())) {
                if (a.startsWith("src=")) {
                    src = a.substring(4);
                } else if (gw == null) {
                    gw = a;
                } else {
                    throw CommandException.failed("Invalid pkt_mark, IP gateway or src_ip");
                }
            }
            NativeTunnels t = tunnels(sp);
            try {
                t.routes().add(t.userRoute(new RouteRequest(args.get(0), args.get(1), gw, src)));
            } catch (IllegalArgumentException e) {
                throw CommandException.failed(e.getMessage());
            }
            return Reply.text("OK");
        });
        r.register("ovs/route/del", "IP/PLEN", 1, 1, "delete a route added by ovs/route/add or the config", args -> {
            String p = args.get(0);
            int slash = p.indexOf('/');
            IpAddress net;
            int plen;
            try {
                net = IpAddress.parse(slash < 0 ? p : p.substring(0, slash));
                plen = slash < 0 ? (net.isIpv4() ? 32 : 128) : Integer.parseInt(p.substring(slash + 1));
            } catch (IllegalArgumentException e) {
                throw CommandException.failed("Invalid parameters");
            }
            if (!tunnels(sp).routes().deleteUser(net, net.fullPrefix(plen))) {
                throw CommandException.failed("Not found");
            }
            return Reply.text("OK");
        });
    }

    private static NativeTunnels tunnels(OfprotoService sp) throws CommandException {
        try {
            return sp.tunnels();
        } catch (OfprotoException e) {
            throw CommandException.failed(e.getMessage());
        }
    }
}
