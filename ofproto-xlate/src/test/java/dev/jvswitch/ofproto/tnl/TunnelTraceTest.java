package dev.jvswitch.ofproto.tnl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.testkit.frame.Frames;

/**
 * {@code ofproto/trace} over native tunnels: output to a VXLAN port shows the push and the
 * underlay bridge's pass from LOCAL; a VXLAN packet for the endpoint shows the pop and the
 * second pass, through the overlay bridge, of what was inside.
 */
class TunnelTraceTest {
    private final TunnelSwitch sw = new TunnelSwitch();

    @AfterEach
    void close() {
        sw.close();
    }

    @Test
    void outputToATunnelShowsThePushAndTheUnderlayPass() {
        sw.neighbourKnown().flows("br-int", "in_port=1,actions=output:10");
        String t = sw.ofproto.tracer().trace("br-int", "in_port=1,udp,nw_src=10.0.0.1,nw_dst=10.0.0.2");
        assertThat(t).contains("output:10\n             -> output to native tunnel\n")
                .contains(" -> tunneling to 192.0.2.2 via br-phy\n")
                .contains(" -> tunneling from aa:55:aa:55:00:00 192.0.2.1 to aa:bb:cc:00:00:01 192.0.2.2\n")
                .contains("bridge(\"br-phy\")")
                .endsWith("Datapath actions: tnl_push(tnl_port(10)," + TunnelXlateTest.HEADER + ",out_port(2)),2\n");
    }

    @Test
    void aTunnelPacketShowsThePopAndTheSecondPass() {
        sw.flows("br-int", "in_port=10,actions=output:2");
        byte[] inner = Frames.udp4().src("00:00:00:00:00:02").dst("00:00:00:00:00:01").ip("10.0.0.2", "10.0.0.1")
                .ports(2000, 1000).build();
        byte[] outer = Frames.udp4().src(TunnelSwitch.REMOTE_MAC_TEXT).dst(TunnelSwitch.LOCAL_MAC_TEXT)
                .ip("192.0.2.2", "192.0.2.1").ports(40000, 0).udpChecksum(false).vxlan(100, inner).build();
        String t = sw.ofproto.tracer().trace("br-phy", "in_port=1", HexFormat.of().formatHex(outer));
        // First pass: br-phy hands it to LOCAL, the endpoint, which pops it.
        int second = t.indexOf("tnl_pop(10) - the decapsulated packet");
        assertThat(second).isPositive();
        assertThat(t.substring(0, second)).contains(" -> tunnel packet for 192.0.2.1: tnl_pop(10)\n")
                .contains("Datapath actions: tnl_pop(10)\n");
        // Second pass: the inner packet with the tunnel metadata, in on vx0, through br-int to p2.
        assertThat(t.substring(second)).contains("Flow: udp,tun_id=0x64,tun_src=192.0.2.2,tun_dst=192.0.2.1,")
                .contains(",in_port=10,").contains("nw_src=10.0.0.2,nw_dst=10.0.0.1")
                .contains("bridge(\"br-int\")").endsWith("Datapath actions: 3\n");
    }
}
