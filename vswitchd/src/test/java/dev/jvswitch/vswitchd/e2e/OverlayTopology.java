package dev.jvswitch.vswitchd.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.testkit.netns.Offloads;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Sh;

/**
 * The VXLAN tests' namespaces, made for one test and removed by {@link #close()}:
 *
 * <pre>
 *  namespace A ("vtep"): a Linux VXLAN device vx0 (VNI {@link #VNI}, 10.78.0.1/24) over the
 *                        underlay veth (192.0.2.2/24, or 2001:db8:100::2/64)
 *        |  underlay veth: the switch's end is jvswitchd's br-phy port (endpoint 192.0.2.1 /
 *        |  2001:db8:100::1, no kernel address)
 *  jvswitchd (root namespace): br-phy (underlay) and br-int (vxlan port vx0, access port)
 *        |  access veth
 *  namespace C ("host"): 10.78.0.2/24, MTU 1450 (the overlay's, as a kernel VTEP sets it)
 * </pre>
 *
 * The switch's veth ends have no address; every veth has GRO/GSO/TSO off and tx checksum
 * offload off, so the kernel puts finished checksums in what it sends.
 */
final class OverlayTopology implements AutoCloseable {
    static final int VNI = 100;
    static final String A_OVERLAY = "10.78.0.1";
    static final String C_OVERLAY = "10.78.0.2";
    static final String SWITCH_V4 = "192.0.2.1";
    static final String A_V4 = "192.0.2.2";
    static final String SWITCH_V6 = "2001:db8:100::1";
    static final String A_V6 = "2001:db8:100::2";

    final Topology topo = new Topology();
    final String nsA;
    final String nsC;
    final Topology.Veth underlay;
    final Topology.Veth access;
    final boolean ipv6;

    /**
     * @param ipv6       an IPv6 underlay
     * @param vxlanExtra more words for A's {@code ip link add vx0 type vxlan ...} (e.g. {@code noudpcsum})
     */
    OverlayTopology(boolean ipv6, String... vxlanExtra) {
        this.ipv6 = ipv6;
        try {
            nsA = topo.namespace("a");
            nsC = topo.namespace("c");
            underlay = topo.veth(nsA, "u");
            access = topo.veth(nsC, "c");
            for (Topology.Veth v : List.of(underlay, access)) {
                Offloads.txChecksumOff(null, v.root());
                Offloads.txChecksumOff(v.ns(), v.peer());
            }
            String local = ipv6 ? A_V6 : A_V4;
            if (ipv6) {
                Sh.inNs(nsA, "sysctl", "-qw", "net.ipv6.conf." + underlay.peer() + ".disable_ipv6=0");
                Sh.inNs(nsA, "ip", "addr", "add", A_V6 + "/64", "dev", underlay.peer(), "nodad");
            } else {
                Sh.inNs(nsA, "ip", "addr", "add", A_V4 + "/24", "dev", underlay.peer());
            }
            List<String> add = new ArrayList<>(List.of("ip", "link", "add", "vx0", "type", "vxlan", "id",
                    Integer.toString(VNI), "remote", ipv6 ? SWITCH_V6 : SWITCH_V4, "local", local, "dstport", "4789",
                    "dev", underlay.peer()));
            add.addAll(List.of(vxlanExtra));
            Sh.inNs(nsA, add.toArray(new String[0]));
            Sh.inNs(nsA, "ip", "addr", "add", A_OVERLAY + "/24", "dev", "vx0");
            Sh.inNs(nsA, "ip", "link", "set", "vx0", "up");
            Sh.inNs(nsC, "ip", "addr", "add", C_OVERLAY + "/24", "dev", access.peer());
            Sh.inNs(nsC, "ip", "link", "set", access.peer(), "mtu", "1450");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Whether this machine can run them: root, ip, python3, tcpdump and the kernel's vxlan module. */
    static boolean available() {
        return Topology.available() && Sh.onPath("tcpdump") && Sh.onPath("ethtool")
                && (Files.isDirectory(Path.of("/sys/module/vxlan"))
                        || Sh.tryRun("modprobe", "vxlan").exit() == 0);
    }

    /** The switch's config: br-phy on the underlay with the endpoint, br-int with vx0 and the access port. */
    String config(String socket, String vxlanOptions) {
        return """
                datapath:
                  pmd-idle: backoff
                  max-idle: 10000
                mempool:
                  mbufs: 4096
                bridges:
                  br-phy:
                    local-ip: %s
                    ports:
                      eth0: {type: afpacket, ofport: 1, options: {ifname: %s}}
                  br-int:
                    ports:
                      vx0: {type: vxlan, ofport: 1, options: {remote_ip: %s, key: %d%s}}
                      c: {type: afpacket, ofport: 2, options: {ifname: %s}}
                control:
                  socket: %s
                """.formatted(ipv6 ? SWITCH_V6 + "/64" : SWITCH_V4 + "/24", underlay.root(), ipv6 ? A_V6 : A_V4, VNI,
                vxlanOptions.isEmpty() ? "" : ", " + vxlanOptions, access.root(), socket);
    }

    @Override
    public void close() {
        topo.close();
    }
}
