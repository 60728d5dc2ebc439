package dev.jvswitch.ofproto.tnl;

import java.util.Objects;

/**
 * A user route as {@code ovs/route/add} or the config file's {@code routes} give it, not yet
 * checked against the endpoints: {@code prefix} as {@code IP/PLEN}, the bridge, an optional
 * gateway and an optional source address.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record RouteRequest(String prefix, String bridge, String gateway, String src) {
    public RouteRequest {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(bridge, "bridge");
    }
}
