package dev.jvswitch.vswitchd.ofproto;

import java.util.List;

import dev.jvswitch.config.BondSpec;
import dev.jvswitch.config.BridgeMirror;
import dev.jvswitch.config.BridgeSettings;

/**
 * A bridge as the ofproto service gets it from the config: name, ports (each with its OpenFlow
 * and datapath port numbers) and settings. Immutable.
 *
 * @param name     bridge name
 * @param ports    ports in file order
 * @param settings the bridge's settings (MAC learning)
 * @param endpoint whether the bridge has a tunnel endpoint ({@code local-ip}): it then has a
 *                 {@code LOCAL} port, the switch's own addresses
 * @param mirrors  its port mirrors (ports by name)
 */
public record BridgeView(String name, List<PortView> ports, BridgeSettings settings, boolean endpoint,
        List<BridgeMirror> mirrors) {
    public BridgeView {
        ports = List.copyOf(ports);
        mirrors = List.copyOf(mirrors);
    }

    /** A bridge without mirrors. */
    public BridgeView(String name, List<PortView> ports, BridgeSettings settings, boolean endpoint) {
        this(name, ports, settings, endpoint, List.of());
    }

    /** A bridge without a tunnel endpoint. */
    public BridgeView(String name, List<PortView> ports, BridgeSettings settings) {
        this(name, ports, settings, false);
    }

    /**
     * One port of a bridge.
     *
     * @param name   port name (unique in the switch)
     * @param ofport OpenFlow port number in the bridge
     * @param dpPort datapath port number (unique in the datapath)
     * @param tag    access VLAN, or -1 for a trunk port
     * @param trunks VLANs a trunk carries (empty: all)
     * @param peer   a patch port's peer (then {@code dpPort} is unused), else null
     * @param bond   the bond it is a member of, else null
     * @param vlanMode null, or a native mode ({@code PortSpec.NATIVE_TAGGED}, {@code NATIVE_UNTAGGED})
     *               whose native VLAN is {@code tag}
     */
    public record PortView(String name, int ofport, int dpPort, int tag, List<Integer> trunks, String peer,
            BondSpec bond, String vlanMode) {
        public PortView {
            trunks = List.copyOf(trunks);
        }

        /** A port whose tag, if any, makes it an access port. */
        public PortView(String name, int ofport, int dpPort, int tag, List<Integer> trunks, String peer,
                BondSpec bond) {
            this(name, ofport, dpPort, tag, trunks, peer, bond, null);
        }

        /** A port in no bond. */
        public PortView(String name, int ofport, int dpPort, int tag, List<Integer> trunks, String peer) {
            this(name, ofport, dpPort, tag, trunks, peer, null);
        }

        /** A port with a datapath port. */
        public PortView(String name, int ofport, int dpPort, int tag, List<Integer> trunks) {
            this(name, ofport, dpPort, tag, trunks, null);
        }
    }
}
