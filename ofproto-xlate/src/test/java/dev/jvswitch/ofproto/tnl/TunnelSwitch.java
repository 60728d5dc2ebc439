package dev.jvswitch.ofproto.tnl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.Ofctl;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.xlate.Packets;
import dev.jvswitch.ofproto.xlate.PortLiveness;
import dev.jvswitch.ofproto.xlate.TraceNode;
import dev.jvswitch.ofproto.xlate.XlateResult;
import dev.jvswitch.pmd.tunnel.IpAddress;

/**
 * The tunnel tests' switch, OVS's usual native tunnel layout:
 *
 * <pre>
 *  br-int: p1 (ofport 1, dp 1), p2 (ofport 2, dp 3), vx0 (ofport 10, dp 10: remote 192.0.2.2,
 *          key 100), vxf (ofport 11, dp 11: remote_ip=flow, key=flow)
 *  br-phy: eth0 (ofport 1, dp 2), LOCAL = 192.0.2.1/24 and 2001:db8::1/64 at aa:55:aa:55:00:00
 * </pre>
 *
 * Both bridges run {@code NORMAL} unless a test sets flows.
 */
final class TunnelSwitch implements AutoCloseable {
    static final long LOCAL_MAC = 0xaa55aa550000L;
    static final String LOCAL_MAC_TEXT = "aa:55:aa:55:00:00";
    static final long REMOTE_MAC = 0xaabbcc000001L;
    static final String REMOTE_MAC_TEXT = "aa:bb:cc:00:00:01";

    final AtomicLong clockNs = new AtomicLong(1_000_000_000L);
    final Ofproto ofproto = new Ofproto(clockNs::get, PortLiveness.ALL_LIVE);
    final NativeTunnels tunnels = ofproto.tunnels();
    final Packets packets = new Packets();
    final List<TunnelPort> ports = new ArrayList<>();
    final List<Endpoint> endpoints = new ArrayList<>();

    TunnelSwitch() {
        ofproto.addBridge(new BridgeConfig("br-int", List.of(OfPort.trunk(1, 1, "p1"), OfPort.trunk(2, 3, "p2"),
                OfPort.trunk(10, 10, "vx0"), OfPort.trunk(11, 11, "vxf"))));
        ofproto.addBridge(new BridgeConfig("br-phy", List.of(OfPort.trunk(1, 2, "eth0"), OfPort.local("br-phy"))));
        Ofctl.addFlows(ofproto, "br-int", List.of("priority=0,actions=NORMAL"));
        Ofctl.addFlows(ofproto, "br-phy", List.of("priority=0,actions=NORMAL"));
        ports.add(new TunnelPort("vx0", "br-int", 10, TestVxlan.of("vx0", "remote_ip", "192.0.2.2", "key", "100")));
        ports.add(new TunnelPort("vxf", "br-int", 11, TestVxlan.of("vxf", "remote_ip", "flow", "key", "flow")));
        endpoints.add(new Endpoint("br-phy", IpAddress.parse("192.0.2.1"), 24, IpAddress.parse("2001:db8::1"), 64,
                LOCAL_MAC));
        apply();
    }

    TunnelSwitch apply() {
        tunnels.configure(endpoints, ports, List.of());
        return this;
    }

    TunnelSwitch flows(String bridge, String... flows) {
        ofproto.replaceFlows(bridge, new ArrayList<>());
        Ofctl.addFlows(ofproto, bridge, List.of(flows));
        return this;
    }

    /** The remote 192.0.2.2 is known at {@link #REMOTE_MAC}. */
    TunnelSwitch neighbourKnown() {
        tunnels.setNeighbour("br-phy", IpAddress.parse("192.0.2.2"), REMOTE_MAC, clockNs.get());
        return this;
    }

    FlowKey key(byte[] frame, int dpPort) {
        return packets.key(frame, dpPort);
    }

    XlateResult xlate(FlowKey key) {
        return ofproto.xlate().translate(ofproto.snapshot(), key, false, clockNs.get(), null);
    }

    XlateResult upcall(FlowKey key) {
        return ofproto.xlate().translate(ofproto.snapshot(), key, true, clockNs.get(), null);
    }

    XlateResult traced(FlowKey key, List<TraceNode> nodes) {
        return ofproto.xlate().translate(ofproto.snapshot(), key, false, clockNs.get(), nodes);
    }

    @Override
    public void close() {
        packets.close();
    }
}
