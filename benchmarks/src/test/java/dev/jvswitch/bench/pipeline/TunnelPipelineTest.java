package dev.jvswitch.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.pcap.GenPcapCommand;
import dev.jvswitch.bench.pipeline.PipelineCommand.Result;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.OfprotoRevalidation;
import dev.jvswitch.ofproto.revalidate.RevalidatorConfig;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.stats.PmdCounter;

/**
 * The tunnel pipeline benchmark's switch: VXLAN (and Geneve) push on the way out and pop on the way in, every
 * packet of a measured second forwarded, with no heap allocated by the PMD thread in steady state
 * (the encap and decap paths' allocation proof: parse, EMC, tnl_push or tnl_pop, recirculation,
 * second lookup, tx).
 */
class TunnelPipelineTest {
    /** ThreadMXBean's own bookkeeping and the PMD's once-a-second housekeeping; per packet would be megabytes. */
    private static final long SLACK_BYTES = 2048;
    private static final int FLOWS = 500;

    @TempDir
    Path dir;

    private Result run(TunnelPipeline tunnel, Path pcap) throws Exception {
        DatapathConfig config = DatapathConfig.defaults().withIdle(DatapathConfig.Idle.BUSY);
        return PipelineCommand.measure(pcap, config, tunnel.ofproto().upcallHandler(),
                new OfprotoRevalidation(tunnel.ofproto()), RevalidatorConfig.defaults().withThreads(1), 1.5, 1.0,
                tunnel::attach);
    }

    @Test
    void encapsulationForwardsEveryPacketPushedWithoutAllocating() throws Exception {
        Path plain = dir.resolve("plain.pcap");
        GenPcapCommand.write(plain, FLOWS, FLOWS, 64, false, -1);
        TunnelPipeline tunnel = new TunnelPipeline(TunnelPipeline.Mode.ENCAP, 100);
        Result r = run(tunnel, plain);

        assertThat(r.packets()).isGreaterThan(10_000);
        assertThat(r.delta(PmdCounter.TX_PACKETS)).isEqualTo(r.packets());
        assertThat(r.delta(PmdCounter.UPCALL_OK)).isZero();
        assertThat(r.heapBytes()).as("PMD heap bytes for %d packets", r.packets()).isLessThan(SLACK_BYTES);
        // What the megaflows do: push VXLAN 100 from the endpoint to the static neighbour, out of port 2.
        FlowKey k = new FlowKey().set(FlowField.IN_PORT, 1).set(FlowField.ETH_TYPE, 0x0800)
                .set(FlowField.NW_PROTO, 17);
        assertThat(tunnel.ofproto().upcallHandler().translate(k).actions().toString())
                .startsWith("tnl_push(tnl_port(3),header(size=50,type=4,eth(dst=02:00:00:00:00:0b,"
                        + "src=02:00:00:00:00:0a,dl_type=0x0800),ipv4(src=192.0.2.1,dst=192.0.2.2,")
                .endsWith("vxlan(flags=0x8000000,vni=0x64)),out_port(2)),2");
    }

    @Test
    void decapsulationPopsRecirculatesAndForwardsEveryPacketWithoutAllocating() throws Exception {
        Path vxlan = dir.resolve("vxlan.pcap");
        GenPcapCommand.write(vxlan, FLOWS, FLOWS, 64, false, -1, 100);
        Result r = run(new TunnelPipeline(TunnelPipeline.Mode.DECAP, 100), vxlan);

        assertThat(r.packets()).isGreaterThan(10_000);
        assertThat(r.delta(PmdCounter.RECIRCULATIONS)).isEqualTo(r.packets());
        assertThat(r.delta(PmdCounter.TX_PACKETS)).isEqualTo(r.packets());
        assertThat(r.delta(PmdCounter.UPCALL_OK)).isZero();
        assertThat(r.heapBytes()).as("PMD heap bytes for %d packets", r.packets()).isLessThan(SLACK_BYTES);
    }

    @Test
    void geneveEncapsulationForwardsEveryPacketPushedWithoutAllocating() throws Exception {
        Path plain = dir.resolve("plain.pcap");
        GenPcapCommand.write(plain, FLOWS, FLOWS, 64, false, -1);
        TunnelPipeline tunnel = new TunnelPipeline(TunnelPipeline.Mode.ENCAP, 100, "geneve");
        Result r = run(tunnel, plain);

        assertThat(r.packets()).isGreaterThan(10_000);
        assertThat(r.delta(PmdCounter.TX_PACKETS)).isEqualTo(r.packets());
        assertThat(r.delta(PmdCounter.UPCALL_OK)).isZero();
        assertThat(r.heapBytes()).as("PMD heap bytes for %d packets", r.packets()).isLessThan(SLACK_BYTES);
        FlowKey k = new FlowKey().set(FlowField.IN_PORT, 1).set(FlowField.ETH_TYPE, 0x0800)
                .set(FlowField.NW_PROTO, 17);
        assertThat(tunnel.ofproto().upcallHandler().translate(k).actions().toString())
                .startsWith("tnl_push(tnl_port(3),header(size=58,type=5,eth(dst=02:00:00:00:00:0b,")
                .endsWith("udp(src=0,dst=6081,csum=0x0),geneve(crit,vni=0x64,options({class=0x102,type=0x80,len=4,"
                        + "0x10002}))),out_port(2)),2");
    }

    @Test
    void geneveDecapsulationWithAnOptionForwardsEveryPacketWithoutAllocating() throws Exception {
        Path geneve = dir.resolve("geneve.pcap");
        GenPcapCommand.write(geneve, FLOWS, FLOWS, 64, false, -1, 100, true);
        Result r = run(new TunnelPipeline(TunnelPipeline.Mode.DECAP, 100, "geneve"), geneve);

        assertThat(r.packets()).isGreaterThan(10_000);
        assertThat(r.delta(PmdCounter.RECIRCULATIONS)).isEqualTo(r.packets());
        assertThat(r.delta(PmdCounter.TX_PACKETS)).isEqualTo(r.packets());
        assertThat(r.delta(PmdCounter.UPCALL_OK)).isZero();
        assertThat(r.heapBytes()).as("PMD heap bytes for %d packets", r.packets()).isLessThan(SLACK_BYTES);
    }

    @Test
    void aVniTheTunnelPortDoesNotTakeIsDroppedAfterThePop() throws Exception {
        Path vxlan = dir.resolve("vxlan.pcap");
        GenPcapCommand.write(vxlan, FLOWS, FLOWS, 64, false, -1, 200);
        Result r = run(new TunnelPipeline(TunnelPipeline.Mode.DECAP, 100), vxlan);

        assertThat(r.packets()).isGreaterThan(10_000);
        assertThat(r.delta(PmdCounter.RECIRCULATIONS)).isEqualTo(r.packets());
        assertThat(r.delta(PmdCounter.TX_PACKETS)).isZero();
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> TunnelPipeline.Mode.parse("both")).isInstanceOf(Args.UsageException.class)
                .hasMessage("pipeline: --tunnel both: expected encap or decap");
        assertThatThrownBy(() -> PipelineCommand.run(new String[] {"--pcap", "/dev/null", "--vni", "5"}))
                .isInstanceOf(Args.UsageException.class).hasMessage("pipeline: --vni needs --tunnel");
        assertThatThrownBy(() -> new TunnelPipeline(TunnelPipeline.Mode.ENCAP, 1, "gre"))
                .isInstanceOf(Args.UsageException.class)
                .hasMessage("pipeline: --tunnel-type gre: expected vxlan or geneve");
        assertThatThrownBy(() -> PipelineCommand.run(new String[] {"--pcap", "/dev/null", "--tunnel-type", "geneve"}))
                .isInstanceOf(Args.UsageException.class).hasMessage("pipeline: --tunnel-type needs --tunnel");
    }
}
