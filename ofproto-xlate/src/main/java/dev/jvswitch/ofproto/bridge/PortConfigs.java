package dev.jvswitch.ofproto.bridge;

import java.util.HashMap;
import java.util.Map;

/**
 * The OpenFlow port config bits ({@code OFPPC_*}, OpenFlow 1.0 values, as in
 * {@code mod.PortMod.Config}) of a bridge's ports, set by port mods: what translation honours
 * (OVS keeps them in {@code ofport->pp.config} and xlate reads them): a port that is
 * administratively down neither receives nor sends, {@code no-receive} drops what arrives,
 * {@code no-forward} what would leave, {@code no-flood} keeps a port out of FLOOD and of
 * NORMAL's flooding. A port no mod touched has every bit clear.
 *
 * <p><b>Thread-safety:</b> immutable; one instance per published version of the bridge.
 */
public final class PortConfigs {
    public static final int PORT_DOWN = 1;
    public static final int NO_RECV = 1 << 2;
    public static final int NO_FLOOD = 1 << 4;
    public static final int NO_FWD = 1 << 5;
    public static final PortConfigs NONE = new PortConfigs(Map.of());

    private final Map<Integer, Integer> bits;

    private PortConfigs(Map<Integer, Integer> bits) {
        this.bits = bits;
    }

    /** The bits of OpenFlow port {@code ofPort} (0 for a port no mod touched). */
    public int bits(int ofPort) {
        if (bits.isEmpty()) {
            return 0;
        }
        Integer b = bits.get(ofPort);
        return b == null ? 0 : b;
    }

    /** These configs with port {@code ofPort}'s bits replaced by {@code value}. */
    public PortConfigs with(int ofPort, int value) {
        if (bits(ofPort) == value) {
            return this;
        }
        Map<Integer, Integer> next = new HashMap<>(bits);
        if (value == 0) {
            next.remove(ofPort);
        } else {
            next.put(ofPort, value);
        }
        return next.isEmpty() ? NONE : new PortConfigs(Map.copyOf(next));
    }

    /** These configs for only the ports {@code config} still has (a reload removed the others). */
    public PortConfigs keepPortsOf(BridgeConfig config) {
        PortConfigs out = this;
        for (Integer p : bits.keySet()) {
            if (config.byOfPort(p) == null) {
                out = out.with(p, 0);
            }
        }
        return out;
    }

    /** True if a packet received on {@code ofPort} is dropped (down or no-receive). */
    public boolean dropsInput(int ofPort) {
        return (bits(ofPort) & (PORT_DOWN | NO_RECV)) != 0;
    }

    /** True if nothing is sent out of {@code ofPort} (down or no-forward). */
    public boolean dropsOutput(int ofPort) {
        return (bits(ofPort) & (PORT_DOWN | NO_FWD)) != 0;
    }

    /** True if FLOOD (and NORMAL's flooding) leave {@code ofPort} out. */
    public boolean noFlood(int ofPort) {
        return (bits(ofPort) & NO_FLOOD) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortConfigs p && p.bits.equals(bits);
    }

    @Override
    public int hashCode() {
        return bits.hashCode();
    }

    @Override
    public String toString() {
        return bits.toString();
    }
}
