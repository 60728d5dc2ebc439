package dev.jvswitch.openflow.codec;

import org.projectfloodlight.openflow.types.OFPort;

import dev.jvswitch.ofproto.port.OfPorts;

/**
 * OpenFlow 1.1+ port numbers (32 bits, reserved ports at 0xfffffff8..) to and from the 16-bit
 * numbers ofproto keeps ({@link OfPorts}: reserved at 0xfff8..), as OVS's
 * {@code ofputil_port_from_ofp11} does: a reserved 32-bit number loses its high 16 bits; a
 * number from OFPP_MAX up to the reserved range names no port.
 *
 * <p>Stateless.
 */
public final class OfPortNumbers {
    private static final int RESERVED_BASE_32 = 0xffffff00;

    private OfPortNumbers() {
    }

    /** The 16-bit number of {@code port}, or -1 if it cannot name a port ofproto knows. */
    public static int from(OFPort port) {
        int p = port.getPortNumber();
        if (p >= 0 && p < OfPorts.MAX) {
            return p;
        }
        if (Integer.compareUnsigned(p, RESERVED_BASE_32) >= 0) {
            int low = p & 0xffff;
            if (OfPorts.isReserved(low)) {
                return low;
            }
        }
        return -1;
    }

    /**
     * A packet-out's in_port as OVS takes it (a port number below OFPP_MAX, whether the bridge has
     * it or not, {@code LOCAL}, {@code CONTROLLER} or {@code NONE}/{@code ANY}), else
     * {@code OFPBRC_BAD_PORT}. -1 (a number no port has, {@link #from}) is what OVS's port decoding
     * answers: {@code OFPBMC_BAD_VALUE} in a 1.5 packet-out's match, else {@code OFPBAC_BAD_OUT_PORT}.
     */
    public static int packetOutInPort(int port, boolean inMatch) {
        if (port < 0) {
            throw new OfCodecException(inMatch ? OfError.BAD_MATCH_BAD_VALUE : OfError.BAD_ACTION_BAD_OUT_PORT,
                    "packet-out in_port names no port");
        }
        if (port >= OfPorts.MAX && port != OfPorts.LOCAL && port != OfPorts.CONTROLLER && port != OfPorts.NONE) {
            throw new OfCodecException(OfError.BAD_REQUEST_BAD_PORT, "packet-out in_port " + OfPorts.format(port));
        }
        return port;
    }

    /** The OpenFlow 1.1+ port for ofproto's 16-bit {@code port}. */
    public static OFPort to(int port) {
        if (OfPorts.isReserved(port)) {
            return OFPort.ofInt(0xffff0000 | port);
        }
        return OFPort.of(port);
    }
}
