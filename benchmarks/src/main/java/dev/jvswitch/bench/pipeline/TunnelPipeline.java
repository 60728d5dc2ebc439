package dev.jvswitch.bench.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.tnl.Endpoint;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.ofproto.tnl.TunnelPort;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.pmd.tunnel.IpAddress;

/**
 * The switch of {@code jvs-bench pipeline --tunnel encap|decap}, laid out as OVS deploys native
 * tunnelling:
 *
 * <pre>
 *  br-int: access (OpenFlow 1), vx0 (OpenFlow 10; VXLAN or Geneve, remote_ip 192.0.2.2, key --vni)
 *  br-phy: underlay (OpenFlow 1), LOCAL = tunnel endpoint 192.0.2.1/24 at 02:00:00:00:00:0a
 *  flows:  br-int 1 -> 10 and 10 -> 1; br-phy 1 -> LOCAL and LOCAL -> 1
 * </pre>
 *
 * {@code encap}: the pcap port (datapath port 1) is the access port and the null port (2) the
 * underlay, so the replayed inner frames leave pushed ({@code tnl_push(...),2}). {@code decap}: the
 * pcap port is the underlay and the null port the access port, so the replayed VXLAN frames (from
 * {@code gen-pcap --vxlan} or {@code --geneve}) are popped, recirculated and sent on. vx0 is
 * datapath port 3, of type {@code --tunnel-type} (vxlan unless set; geneve maps OVN's option to
 * tun_metadata0 on br-int, sets it on the way out and matches it on the way in). The
 * remote endpoint is a static neighbour at {@link #REMOTE_MAC}, so no ARP is involved.
 */
public final class TunnelPipeline {
    public static final String ENDPOINT_IP = "192.0.2.1";
    public static final String REMOTE_IP = "192.0.2.2";
    public static final String ENDPOINT_MAC = "02:00:00:00:00:0a";
    public static final String REMOTE_MAC = "02:00:00:00:00:0b";
    public static final int DEFAULT_VNI = 100;
    static final int VXLAN_DP_PORT = 3;
    private static final int VXLAN_OFPORT = 10;

    /** Which way packets cross the tunnel. */
    public enum Mode {
        ENCAP, DECAP;

        static Mode parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "encap" -> ENCAP;
                case "decap" -> DECAP;
                default -> throw new Args.UsageException("pipeline: --tunnel " + text + ": expected encap or decap");
            };
        }
    }

    /** Geneve's option in the pipeline: OVN's class and type, as {@code gen-pcap --geneve} writes it. */
    static final String GENEVE_TLV = "{class=0x102,type=0x80,len=4}->tun_metadata0";
    static final String GENEVE_OPTION_VALUE = "0x10002";
    /** The port types the pipeline can tunnel with. */
    public static final List<String> TYPES = List.of("vxlan", "geneve");

    private final Ofproto ofproto = new Ofproto();
    private final int vni;
    private final String type;

    TunnelPipeline(Mode mode, int vni) {
        this(mode, vni, "vxlan");
    }

    TunnelPipeline(Mode mode, int vni, String type) {
        if (!TYPES.contains(type)) {
            throw new Args.UsageException("pipeline: --tunnel-type " + type + ": expected vxlan or geneve");
        }
        this.vni = vni;
        this.type = type;
        int access = mode == Mode.ENCAP ? 1 : 2;
        int underlay = mode == Mode.ENCAP ? 2 : 1;
        ofproto.addBridge(new BridgeConfig("br-int",
                List.of(OfPort.trunk(1, access, "access"), OfPort.trunk(VXLAN_OFPORT, VXLAN_DP_PORT, "vx0"))));
        ofproto.addBridge(new BridgeConfig("br-phy", List.of(OfPort.trunk(1, underlay, "underlay"),
                OfPort.local("br-phy"))));
        if (type.equals("geneve")) {
            // One 4-byte option both ways, OVN's: set on the way out, matched on the way in.
            ofproto.tunnels().tlvMaps().add("br-int", TlvMap.parse(GENEVE_TLV));
            ofproto.apply("br-int", flows("in_port=1,actions=set_field:" + GENEVE_OPTION_VALUE
                    + "->tun_metadata0,output:" + VXLAN_OFPORT, "in_port=" + VXLAN_OFPORT + ",tun_metadata0="
                    + GENEVE_OPTION_VALUE + ",actions=output:1"));
        } else {
            ofproto.apply("br-int", flows("in_port=1,actions=output:" + VXLAN_OFPORT,
                    "in_port=" + VXLAN_OFPORT + ",actions=output:1"));
        }
        ofproto.apply("br-phy", flows("in_port=1,actions=LOCAL", "in_port=" + OfPorts.LOCAL + ",actions=output:1"));
    }

    private static List<FlowMod> flows(String... text) {
        List<FlowMod> out = new ArrayList<>();
        for (String t : text) {
            out.add(FlowSyntax.parseAdd(t));
        }
        return out;
    }

    Ofproto ofproto() {
        return ofproto;
    }

    /**
     * Adds vx0 to {@code dp} and gives ofproto the endpoint, the tunnel port and the static
     * neighbour; the pcap and null ports are already in.
     */
    void attach(Datapath dp, MbufPool pool) throws NetdevException {
        Netdev vx = Netdevs.open(new NetdevConfig("vx0", type,
                Map.of("remote_ip", REMOTE_IP, "key", Integer.toString(vni)), pool));
        dp.addPort(VXLAN_DP_PORT, vx);
        ofproto.configureTunnels(
                List.of(new Endpoint("br-phy", IpAddress.parse(ENDPOINT_IP), 24, null, 0, mac(ENDPOINT_MAC))),
                List.of(new TunnelPort("vx0", "br-int", VXLAN_DP_PORT, vx.tunnelOps())), List.of());
        ofproto.tunnels().setNeighbour("br-phy", IpAddress.parse(REMOTE_IP), mac(REMOTE_MAC), System.nanoTime());
    }

    private static long mac(String text) {
        return Long.parseLong(text.replace(":", ""), 16);
    }
}
