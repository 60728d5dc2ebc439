package dev.jvswitch.openflow.codec;

import org.projectfloodlight.openflow.types.OFPort;

import dev.jvswitch.ofproto.port.OfPorts;

/**
 * OpenFlow 1.1+ port numbers (32 bits, reserved ports at 0xfffffff8..) to and from the 16-bit
 * numbers ofproto keeps ({@link OfPorts}: reserved at 0xfff8..), as OVS's
 * {@code ofputil_port_from_ofp11} does: a reserved 32-bit number loses its high 16 bits; a
 * number between OFPP_MAX and the reserved range names no port.
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
        if (p >= 0 && p <= OfPorts.MAX) {
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

    /** The OpenFlow 1.1+ port for ofproto's 16-bit {@code port}. */
    public static OFPort to(int port) {
        if (OfPorts.isReserved(port)) {
            return OFPort.ofInt(0xffff0000 | port);
        }
        return OFPort.of(port);
    }
}
