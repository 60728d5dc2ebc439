package dev.jvswitch.ovsdb.mapping;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.jvswitch.config.ConfigKeys;

/**
 * One {@code Interface} row to the port type and options of a switch-config port, or the one
 * line that says why it cannot be one (its {@code error} column). OVS's interface types map to
 * jvswitch's port types:
 * <ul>
 *   <li>{@code ""}, {@code system}: {@code afpacket} on the device of the interface's name
 *       ({@code options:n_rxq} = its rx queues);</li>
 *   <li>{@code afxdp}: {@code afxdp} on that device ({@code options:n_rxq}, {@code xdp-mode}, ...
 *       as OVS names them);</li>
 *   <li>{@code vxlan}: {@code vxlan} with the row's options ({@code remote_ip}, {@code key},
 *       {@code dst_port}, ...), checked by the port type;</li>
 *   <li>{@code dummy}: {@code null}, a port that drops what it is sent (for tests);</li>
 *   <li>{@code internal}: {@code tap}, a TAP device of the interface's name that the switch
 *       creates, as OVS's userspace datapath does; the bridge's own (same name) is its OpenFlow
 *       LOCAL port. Without the {@code tap} port type in the build, the bridge's own is a LOCAL port
 *       with no device and other internal interfaces are refused;</li>
 *   <li>{@code patch}: a {@code patch} port with {@code options:peer}, no device: what is output to
 *       it goes on through the peer's bridge in the same translation;</li>
 *   <li>any other type a port provider of that name offers (a tunnel such as {@code geneve} once
 *       its module is in the build) takes the row's options as they are, checked by the port type;
 *       the rest are refused as not supported.</li>
 * </ul>
 *
 * <p>Stateless.
 */
final class InterfaceMapper {
    /** The switch's port type for OVS's {@code internal}. */
    static final String TAP = "tap";

    /**
     * What a row maps to: a port type with options (and OpenFlow LOCAL for a bridge's own device),
     * the bridge's LOCAL port with no device, or an error.
     */
    record Mapped(String type, Map<String, String> options, boolean local, String error, boolean ownPort) {
        Mapped(String type, Map<String, String> options, boolean local, String error) {
            this(type, options, local, error, false);
        }

        static Mapped error(String e) {
            return new Mapped(null, Map.of(), false, e);
        }
    }

    private InterfaceMapper() {
    }

    /**
     * @param portTypes the port types this build has (by provider); a type of the database that
     *                  is one of them and not mapped otherwise (a tunnel) is taken as it is
     */
    static Mapped map(String bridge, String name, String type, Map<String, String> options, MapContext ctx,
            java.util.Set<String> portTypes) {
        if (!ConfigKeys.NAME.matcher(name).matches()) {
            return Mapped.error("interface name '" + name + "' is not usable: a port name is " + ConfigKeys.NAME_RULE);
        }
        switch (type) {
            case "", "system" -> {
                if (!ctx.deviceExists().test(name)) {
                    return Mapped.error("could not open network device " + name + " (No such device)");
                }
                Map<String, String> o = new LinkedHashMap<>();
                o.put("ifname", name);
                if (options.containsKey("n_rxq")) {
                    o.put("rxqs", options.get("n_rxq"));
                }
                return new Mapped("afpacket", o, false, null);
            }
            case "afxdp" -> {
                if (!ctx.deviceExists().test(name)) {
                    return Mapped.error("could not open network device " + name + " (No such device)");
                }
                Map<String, String> o = new LinkedHashMap<>(options);
                o.put("ifname", name);
                return new Mapped("afxdp", o, false, null);
            }
            case "patch" -> {
                String peer = options.get("peer");
                if (peer == null || peer.isEmpty()) {
                    return Mapped.error("patch interface " + name + " needs options:peer");
                }
                if (peer.equals(name)) {
                    return Mapped.error("patch interface " + name + " cannot be its own peer");
                }
                return new Mapped("patch", Map.of("peer", peer), false, null);
            }
            case "dummy" -> {
                return new Mapped("null", Map.of(), false, null);
            }
            case "internal" -> {
                if (portTypes.contains(TAP)) {
                    return new Mapped(TAP, Map.of("ifname", name), false, null, name.equals(bridge));
                }
                if (name.equals(bridge)) {
                    return new Mapped(null, Map.of(), true, null);
                }
                return Mapped.error("internal interfaces other than the bridge's own need the tap port type, which"
                        + " this build lacks");
            }
            default -> {
                // Tunnels (vxlan, geneve, ...): the port type of the same name reads OVS's options.
                if (!TYPES_NOT_BY_NAME.contains(type) && portTypes.contains(type)) {
                    return new Mapped(type, options, false, null);
                }
                return Mapped.error("interface type '" + type + "' is not supported yet (supported: system, internal,"
                        + " afxdp, patch, dummy" + tunnels(portTypes) + ")");
            }
        }
    }

    /** OVS's {@code iface_types} this build offers: the fixed ones and every tunnel type it has. */
    static java.util.List<String> ifaceTypes(java.util.Set<String> portTypes) {
        java.util.TreeSet<String> out = new java.util.TreeSet<>(java.util.List.of("dummy", "internal", "patch", "system"));
        if (portTypes.contains("afxdp")) {
            out.add("afxdp");
        }
        for (String t : portTypes) {
            if (!TYPES_NOT_BY_NAME.contains(t)) {
                out.add(t);
            }
        }
        return java.util.List.copyOf(out);
    }

    private static String tunnels(java.util.Set<String> portTypes) {
        StringBuilder sb = new StringBuilder();
        for (String t : new java.util.TreeSet<>(portTypes)) {
            if (!TYPES_NOT_BY_NAME.contains(t)) {
                sb.append(", ").append(t);
            }
        }
        return sb.toString();
    }

    /** Port types the database never names directly. */
    private static final java.util.Set<String> TYPES_NOT_BY_NAME = java.util.Set.of(TAP, "afpacket", "afxdp", "null",
            "ring", "pcap");
}
