package dev.jvswitch.ofproto.tnl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import dev.jvswitch.pmd.tunnel.IpAddress;

/**
 * The route table tunnels are routed by (OVS's {@code ovs-router}): which underlay bridge, next
 * hop and source address reach a tunnel's remote endpoint.
 *
 * <p>Three kinds of route, as OVS shows them: {@code Cached} routes the switch derives from its
 * own addresses (the connected subnet of each {@code local-ip}, and the address itself as a
 * {@code local} /32 or /128), and {@code User} routes from the config file's {@code routes} or
 * {@code ovs/route/add}. Lookup picks the highest priority that matches: a local route
 * ({@code plen + 64}), then user routes ({@code plen + 32}), then connected ones ({@code plen}),
 * longest prefix first within each, IPv4 as IPv4-mapped 128-bit addresses (OVS's order).
 *
 * <p><b>Thread-safety:</b> changes are serialised on this object and publish a new sorted array
 * with a volatile store; {@link #lookup} reads it with one volatile load and never locks. Every
 * change runs {@code onChange} (the switch's {@code revalSeq}: megaflows routed by the old table
 * are translated again).
 */
public final class RouteTable {
    /** A route's origin, as OVS's {@code ovs/route/show} labels it. */
    public enum Kind {
        /** Added by the user (config file or {@code ovs/route/add}). */
        USER,
        /** A bridge's connected subnet. */
        CACHED,
        /** A bridge's own address. */
        LOCAL
    }

    /**
     * One route.
     *
     * @param prefix   the network, masked to {@code plen128} bits
     * @param plen128  prefix length in 128-bit terms (an IPv4 /24 is 120)
     * @param bridge   the underlay bridge
     * @param gateway  the next hop, or {@link IpAddress#ANY} when the destination is on-link
     * @param src      the source address tunnels routed here use
     * @param kind     where the route comes from
     * @param fromConfig true for a {@code User} route of the config file (a reload replaces those)
     */
    public record Route(IpAddress prefix, int plen128, String bridge, IpAddress gateway, IpAddress src, Kind kind,
            boolean fromConfig) {
        public Route {
            Objects.requireNonNull(bridge, "bridge");
            Objects.requireNonNull(gateway, "gateway");
            Objects.requireNonNull(src, "src");
            prefix = prefix.masked(plen128);
        }

        int priority() {
            return switch (kind) {
                case LOCAL -> plen128 + 64;
                case USER -> plen128 + 32;
                case CACHED -> plen128;
            };
        }

        /** The address to resolve for destination {@code dst}: the gateway, or {@code dst} itself. */
        public IpAddress nextHop(IpAddress dst) {
            return gateway.isAny() ? dst : gateway;
        }

        /** The prefix length as written for its family ({@code /24}, not 120). */
        public int plen() {
            return prefix.isIpv4() ? plen128 - 96 : plen128;
        }

        /** OVS's {@code ovs/route/show} line, without the newline. */
        public String show() {
            StringBuilder sb = new StringBuilder(kind == Kind.USER ? "User: " : "Cached: ");
            sb.append(prefix).append('/').append(plen()).append(" dev ").append(bridge);
            if (!gateway.isAny()) {
                sb.append(" GW ").append(gateway);
            }
            sb.append(" SRC ").append(src);
            if (kind == Kind.LOCAL) {
                sb.append(" local");
            }
            return sb.toString();
        }
    }

    private static final Comparator<Route> ORDER = Comparator.comparingInt(Route::priority).reversed();

    private final Runnable onChange;
    private volatile Route[] routes = new Route[0];

    public RouteTable(Runnable onChange) {
        this.onChange = Objects.requireNonNull(onChange, "onChange");
    }

    /** The route to {@code dst}, or null. */
    public Route lookup(IpAddress dst) {
        return lookup(dst.hi(), dst.lo());
    }

    /** The route to the address {@code hi:lo} (as {@link IpAddress} holds it), or null; allocates nothing. */
    public Route lookup(long hi, long lo) {
        Route[] r = routes;
        for (Route route : r) {
            if (route.prefix().samePrefix(hi, lo, route.plen128())) {
                return route;
            }
        }
        return null;
    }

    /** Every route in lookup order. */
    public List<Route> routes() {
        return List.of(routes);
    }

    /**
     * Adds {@code route}, replacing the route with the same prefix and priority (OVS's
     * {@code classifier_replace}).
     */
    public synchronized void add(Route route) {
        List<Route> next = new ArrayList<>(Arrays.asList(routes));
        next.removeIf(r -> r.prefix().equals(route.prefix()) && r.plen128() == route.plen128()
                && r.priority() == route.priority());
        next.add(route);
        publish(next);
    }

    /** Deletes the user route for exactly this prefix; false if there is none. */
    public synchronized boolean deleteUser(IpAddress prefix, int plen128) {
        IpAddress p = prefix.masked(plen128);
        List<Route> next = new ArrayList<>(Arrays.asList(routes));
        boolean removed = next.removeIf(r -> r.kind() == Kind.USER && r.prefix().equals(p) && r.plen128() == plen128);
        if (removed) {
            publish(next);
        }
        return removed;
    }

    /**
     * Replaces the routes the switch derives from its addresses and those of the config file
     * with {@code derived} and {@code configured}; user routes added by command stay.
     */
    public synchronized void replace(List<Route> derived, List<Route> configured) {
        List<Route> next = new ArrayList<>();
        for (Route r : routes) {
            if (r.kind() == Kind.USER && !r.fromConfig()) {
                next.add(r);
            }
        }
        next.addAll(derived);
        for (Route r : configured) {
            next.removeIf(o -> o.prefix().equals(r.prefix()) && o.plen128() == r.plen128()
                    && o.priority() == r.priority());
            next.add(r);
        }
        List<Route> before = Arrays.asList(routes);
        if (!before.equals(sorted(next))) {
            publish(next);
        }
    }

    /** OVS's {@code ovs/route/show}. */
    public String show() {
        StringBuilder sb = new StringBuilder("Route Table:\n");
        for (Route r : routes) {
            sb.append(r.show()).append('\n');
        }
        return sb.toString();
    }

    private static List<Route> sorted(List<Route> list) {
        List<Route> s = new ArrayList<>(list);
        s.sort(ORDER);
        return s;
    }

    private void publish(List<Route> next) {
        routes = sorted(next).toArray(new Route[0]);
        onChange.run();
    }
}
