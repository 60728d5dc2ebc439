package dev.jvswitch.ofproto.mod;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import dev.jvswitch.ofproto.port.OfPorts;

/**
 * One port configuration change (OVS's {@code ofputil_port_mod}, OpenFlow's
 * {@code OFPT_PORT_MOD}): set the {@link Config} bits of {@link #mask()} on port
 * {@link #portNo()} to their value in {@link #config()}. {@code Ofproto} keeps every bit;
 * translation honours down, no-receive, no-forward and no-flood ({@code bridge.PortConfigs}).
 *
 * @param portNo the OpenFlow port (1..{@link OfPorts#MAX} or {@link OfPorts#LOCAL})
 * @param hwAddr the port's MAC as the sender believes it (OpenFlow's sanity check), or
 *               {@link #ANY_HW_ADDR} to skip the check
 * @param config the new values of the bits in {@code mask} (immutable)
 * @param mask   the bits to change (immutable; empty changes nothing)
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record PortMod(int portNo, long hwAddr, Set<Config> config, Set<Config> mask) implements OfMod {
    /** {@link #hwAddr()} when the sender does not name the port's MAC. */
    public static final long ANY_HW_ADDR = -1L;

    /** OpenFlow's port config bits ({@code OFPPC_*}, OpenFlow 1.0 values), with ovs-ofctl's mod-port words. */
    public enum Config {
        /** Administratively down: no packet in or out ({@code down} / {@code up}). */
        PORT_DOWN(1 << 0, "down"),
        /** Drop 802.1D spanning tree packets ({@code no-stp}). */
        NO_STP(1 << 1, "no-stp"),
        /** Drop every packet received except 802.1D ({@code no-receive}). */
        NO_RECV(1 << 2, "no-receive"),
        /** Drop received 802.1D packets ({@code no-receive-stp}). */
        NO_RECV_STP(1 << 3, "no-receive-stp"),
        /** Leave the port out of FLOOD ({@code no-flood}). */
        NO_FLOOD(1 << 4, "no-flood"),
        /** Drop packets output to the port ({@code no-forward}). */
        NO_FWD(1 << 5, "no-forward"),
        /** No packet-in for packets received on the port ({@code no-packet-in}). */
        NO_PACKET_IN(1 << 6, "no-packet-in");

        private final int bit;
        private final String ovsName;

        Config(int bit, String ovsName) {
            this.bit = bit;
            this.ovsName = ovsName;
        }

        /** The bit in OpenFlow's {@code config} field. */
        public int bit() {
            return bit;
        }

        /** ovs-ofctl's {@code mod-port} word that sets the bit. */
        public String ovsName() {
            return ovsName;
        }
    }

    public PortMod {
        if (!OfPorts.isPhysical(portNo) && portNo != OfPorts.LOCAL) {
            throw new IllegalArgumentException("port mod: port " + OfPorts.format(portNo) + " is no bridge port");
        }
        config = freeze(config);
        mask = freeze(mask);
        if (!mask.containsAll(config)) {
            throw new IllegalArgumentException("port mod: config bits " + config + " outside mask " + mask);
        }
    }

    private static Set<Config> freeze(Set<Config> s) {
        Objects.requireNonNull(s);
        return s.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(s));
    }

    /** Sets ({@code on}) or clears one bit of port {@code portNo}. */
    public static PortMod set(int portNo, Config bit, boolean on) {
        return new PortMod(portNo, ANY_HW_ADDR, on ? Set.of(bit) : Set.of(), Set.of(bit));
    }
}
