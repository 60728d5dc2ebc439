package dev.jvswitch.testkit.netns;

import dev.jvswitch.testkit.sh.Sh;

/**
 * Interface offloads a test sets on its veth ends. With GRO, GSO or TSO on, the kernel hands an
 * AF_PACKET socket super-frames larger than the MTU, which a port drops and counts (the README
 * asks users to turn them off, and every test does too). Tx checksum offload is left on by
 * default, because the port completes checksums itself and a test of that needs it on; a peer
 * that must emit finished checksums turns it off here.
 */
public final class Offloads {
    private Offloads() {
    }

    /** {@code ethtool -K IFNAME gro off gso off tso off}, in {@code ns} (null: the root namespace). */
    public static void segmentationOff(String ns, String ifname) {
        ethtool(ns, ifname, "gro", "off", "gso", "off", "tso", "off");
    }

    /** {@code ethtool -K IFNAME tx off}: the stack then writes every checksum itself. */
    public static void txChecksumOff(String ns, String ifname) {
        ethtool(ns, ifname, "tx", "off");
    }

    private static void ethtool(String ns, String ifname, String... settings) {
        String[] cmd = new String[3 + settings.length];
        cmd[0] = "ethtool";
        cmd[1] = "-K";
        cmd[2] = ifname;
        System.arraycopy(settings, 0, cmd, 3, settings.length);
        if (ns == null) {
            Sh.run(cmd);
        } else {
            Sh.inNs(ns, cmd);
        }
    }
}
