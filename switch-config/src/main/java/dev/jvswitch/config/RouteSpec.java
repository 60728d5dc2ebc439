package dev.jvswitch.config;

/**
 * A static route for tunnels ({@code routes:}, one string each, the arguments of
 * {@code ovs/route/add}): {@code "PREFIX/PLEN BRIDGE [GATEWAY] [src=IP]"}.
 *
 * @param prefix  {@code IP/PLEN}
 * @param bridge  the underlay bridge (which has a {@code local-ip} of the prefix's family)
 * @param gateway the next hop, or null when on-link
 * @param src     the source address, or null (the bridge's)
 * @param line    the line of the string
 *
 * <p>Immutable; checked by the producer.
 */
public record RouteSpec(String prefix, String bridge, String gateway, String src, int line) {
    /** The route as written (what a reload compares). */
    public String text() {
        return prefix + " " + bridge + (gateway == null ? "" : " " + gateway) + (src == null ? "" : " src=" + src);
    }
}
