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
 *   <li>{@code internal}: a bridge's own interface (same name) is its LOCAL port; other internal
 *       interfaces, {@code patch}, {@code geneve} and the rest are refused as not supported yet.</li>
 * </ul>
 *
 * <p>Stateless.
 */
final class InterfaceMapper {
    /** What a row maps to: a port type with options, the bridge's LOCAL port, or an error. */
    record Mapped(String type, Map<String, String> options, boolean local, String error) {
        static Mapped error(String e) {
            return new Mapped(null, Map.of(), false, e);
        }
    }

    private InterfaceMapper() {
    }

    static Mapped map(String bridge, String name, String type, Map<String, String> options, MapContext ctx) {
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
            case "vxlan" -> {
                return new Mapped("vxlan", options, false, null);
            }
            case "dummy" -> {
                return new Mapped("null", Map.of(), false, null);
            }
            case "internal" -> {
                if (name.equals(bridge)) {
                    return new Mapped(null, Map.of(), true, null);
                }
                return Mapped.error("internal interfaces other than the bridge's own are not supported yet");
            }
            default -> {
                return Mapped.error("interface type '" + type + "' is not supported yet (supported: system, internal,"
                        + " afxdp, vxlan, dummy)");
            }
        }
    }
}
