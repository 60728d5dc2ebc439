package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.netns.Offloads;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;
import dev.jvswitch.testkit.env.Needs;

/**
 * Two jvswitchd daemons, each in a namespace of its own, tunnelling to each other over a veth
 * underlay, each with a host behind it:
 *
 * <pre>
 *  h1 (10.79.0.1) -- s1 [br-int: vx0 key 100, vxf remote_ip=flow key=flow | br-phy 192.0.2.1]
 *                        |  underlay veth
 *  h2 (10.79.0.2) -- s2 [br-int: vx0 key 100, vx200 key 200             | br-phy 192.0.2.2]
 * </pre>
 *
 * From cold both resolve each other; when s2's endpoint MAC changes (a reload with another
 * {@code local-mac}) it announces itself and traffic resumes; a flow-based tunnel
 * ({@code set_field:...->tun_dst,set_field:200->tun_id,output:vxf}) reaches s2's VNI 200 port, and
 * a VNI nobody takes is dropped and counted there.
 */
@Tag("netns")
class VxlanTwoDaemonsTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Topology topo;
    private DaemonProcess s1;
    private DaemonProcess s2;

    @AfterEach
    void tearDown() {
        try {
            for (DaemonProcess d : new DaemonProcess[] {s1, s2}) {
                if (d != null) {
                    d.close();
                }
            }
        } finally {
            if (topo != null) {
                topo.close();
            }
        }
    }

    /** Moves the switch end of {@code v} into namespace {@code ns}, up, with the offloads the ports want. */
    private static void moveSwitchEnd(Topology.Veth v, String ns) {
        Sh.run("ip", "link", "set", v.root(), "netns", ns);
        Offloads.segmentationOff(ns, v.root());
        Offloads.txChecksumOff(ns, v.root());
        Offloads.txChecksumOff(v.ns(), v.peer());
        Sh.inNs(ns, "ip", "link", "set", v.root(), "up");
    }

    private static String config(String socket, String localIp, String remoteIp, String underlay, String host,
            String mac, String tunnelPorts, String flows) {
        return """
                datapath:
                  pmd-idle: backoff
                  max-idle: 10000
                mempool:
                  mbufs: 2048
                bridges:
                  br-phy:
                    local-ip: %s/24
                    local-mac: %s
                    ports:
                      eth0: {type: afpacket, ofport: 1, options: {ifname: %s}}
                  br-int:
                    ports:
                      vx0: {type: vxlan, ofport: 1, options: {remote_ip: %s, key: 100}}
                %s      h: {type: afpacket, ofport: 3, options: {ifname: %s}}
                    flows:
                %s
                control:
                  socket: %s
                """.formatted(localIp, mac, underlay, remoteIp, tunnelPorts, host, flows, socket);
    }

    private DaemonProcess start(String name, String ns, String text) throws IOException {
        Path cfg = dir.resolve(name + ".yaml");
        Files.writeString(cfg, text);
        Path sub = Files.createDirectories(dir.resolve(name));
        return new DaemonProcess(cfg, sub.resolve("sw.sock"), sub).start(ns, START);
    }

    @Test
    void daemonsTunnelToEachOtherFollowAMacChangeAndHonourFlowBasedTunnels() throws Exception {
        Needs.that(OverlayTopology.available(), "root, ip, python3, tcpdump and the vxlan module");
        topo = new Topology();
        String ns1 = topo.namespace("s1");
        String ns2 = topo.namespace("s2");
        String h1 = topo.namespace("h1");
        String h2 = topo.namespace("h2");
        Topology.Veth underlay = topo.veth(ns2, "u");
        moveSwitchEnd(underlay, ns1);
        Topology.Veth a1 = topo.veth(h1, "h1");
        moveSwitchEnd(a1, ns1);
        Topology.Veth a2 = topo.veth(h2, "h2");
        moveSwitchEnd(a2, ns2);
        Sh.inNs(h1, "ip", "addr", "add", "10.79.0.1/24", "dev", a1.peer());
        Sh.inNs(h2, "ip", "addr", "add", "10.79.0.2/24", "dev", a2.peer());
        for (String[] h : new String[][] {{h1, a1.peer()}, {h2, a2.peer()}}) {
            Sh.inNs(h[0], "ip", "link", "set", h[1], "mtu", "1450");
        }

        String sock1 = dir.resolve("s1/sw.sock").toString();
        String sock2 = dir.resolve("s2/sw.sock").toString();
        // h (3) to vx0 (1), and whatever either tunnel port brings (1, 2) to h.
        String flows = "      - priority=10,in_port=3,actions=output:1\n"
                + "      - priority=10,in_port=1,actions=output:3\n"
                + "      - priority=10,in_port=2,actions=output:3";
        String flows1 = flows;
        String flows2 = flows;
        s1 = start("s1", ns1, config(sock1, "192.0.2.1", "192.0.2.2", underlay.root(), a1.root(), "02:00:00:00:11:11",
                "      vxf: {type: vxlan, ofport: 2, options: {remote_ip: flow, key: flow}}\n", flows1));
        String s2Ports = "      vx200: {type: vxlan, ofport: 2, options: {remote_ip: 192.0.2.1, key: 200}}\n";
        s2 = start("s2", ns2, config(sock2, "192.0.2.2", "192.0.2.1", underlay.peer(), a2.root(), "02:00:00:00:22:01",
                s2Ports, flows2));

        // From cold: each resolves the other (ARP between the daemons' endpoints).
        Sh.Result first = Sh.tryInNs(h1, "ping", "-n", "-c", "5", "-i", "0.3", "-W", "3", "10.79.0.2");
        assertThat(first.output()).as("%s\n%s", s1.log(), s2.log()).containsPattern("[3-5] received");
        assertThat(Sh.tryInNs(h1, "ping", "-n", "-c", "5", "-i", "0.2", "-W", "2", "10.79.0.2").output())
                .contains(" 0% packet loss");
        assertThat(s1.ok("tnl/neigh/show")).contains("192.0.2.2                                     02:00:00:00:22:01"
                + "   br-phy");
        assertThat(s2.ok("tnl/neigh/show")).contains("02:00:00:00:11:11");

        // s2's endpoint takes another MAC: it announces it, s1 follows, traffic resumes.
        Files.writeString(dir.resolve("s2.yaml"), config(sock2, "192.0.2.2", "192.0.2.1", underlay.peer(), a2.root(),
                "02:00:00:00:22:02", s2Ports, flows2));
        assertThat(s2.ok("reload")).contains("tunnel endpoints or routes changed");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> s1.ok("tnl/neigh/show").contains("02:00:00:00:22:02"), () -> "s1 to learn s2's new MAC");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> Sh.tryInNs(h1, "ping", "-n", "-c", "1", "-W", "1", "10.79.0.2").exit() == 0,
                () -> "traffic to resume after s2's MAC changed");
        assertThat(Sh.tryInNs(h1, "ping", "-n", "-c", "5", "-i", "0.2", "-W", "2", "10.79.0.2").output())
                .contains(" 0% packet loss");

        // A flow-based tunnel: destination and VNI from the flow, to s2's VNI 200 port.
        assertThat(s1.ok("ofctl/add-flow", "br-int", "priority=100,in_port=3,actions=set_field:192.0.2.2->tun_dst,"
                + "set_field:200->tun_id,output:2")).isEmpty();
        assertThat(Sh.tryInNs(h1, "ping", "-n", "-c", "5", "-i", "0.2", "-W", "2", "10.79.0.2").output())
                .contains(" 0% packet loss");
        // vxf is datapath port 3 (eth0 took 1, vx0 2).
        assertThat(s1.ok("dpctl/dump-flows")).containsPattern("tnl_push\\(tnl_port\\(3\\),header\\(.*"
                + "ipv4\\(src=192.0.2.1,dst=192.0.2.2,.*vni=0xc8\\)\\),out_port\\(1\\)\\),1");
        assertThat(s2.ok("dpctl/dump-flows")).contains("tunnel(tun_id=0xc8,src=192.0.2.1,dst=192.0.2.2");
        // A VNI s2 has no port for: dropped there, and counted.
        assertThat(s1.ok("ofctl/add-flow", "br-int", "priority=100,in_port=3,actions=set_field:192.0.2.2->tun_dst,"
                + "set_field:300->tun_id,output:2")).isEmpty();
        assertThat(Sh.tryInNs(h1, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "1", "10.79.0.2").output())
                .contains("100% packet loss");
        assertThat(s2.ok("dpif-netdev/pmd-stats-show")).containsPattern("dropped: no tunnel port for a received "
                + "packet: [1-9]");

        for (DaemonProcess d : new DaemonProcess[] {s1, s2}) {
            assertThat(d.terminate(Duration.ofSeconds(30))).isZero();
            assertThat(d.log()).contains("leak check: all 2048 mbufs returned").doesNotContain("ERROR");
        }
    }
}
