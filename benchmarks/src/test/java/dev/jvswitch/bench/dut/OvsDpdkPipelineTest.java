package dev.jvswitch.bench.dut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Reading OVS 3.1's {@code dpif-netdev/pmd-stats-show} into the pipeline's figures. */
class OvsDpdkPipelineTest {
    /** What OVS 3.1 printed for a decap run (trimmed to the PMD and the main thread). */
    private static final String STATS = """
            pmd thread numa_id 0 core_id 1:
              packets received: 14628416
              packet recirculations: 7314208
              avg. datapath passes per packet: 1.50
              phwol hits: 0
              mfex opt hits: 0
              simple match hits: 0
              emc hits: 21942624
              smc hits: 0
              megaflow hits: 0
              avg. subtable lookups per megaflow hit: 0.00
              miss with success upcall: 0
              miss with failed upcall: 0
              avg. packets per output batch: 32.00
              idle cycles: 100000000 (1.00%)
              processing cycles: 9900000000 (99.00%)
              avg cycles per packet: 683.60 (10000000000/14628416)
              avg processing cycles per packet: 676.77 (9900000000/14628416)
            main thread:
              packets received: 1
              packet recirculations: 0
            """;

    @Test
    void figuresComeFromThePmdThreadsBlock() {
        // 10^10 TSC cycles in 5 s: a 2 GHz TSC.
        OvsDpdkPipeline.Figures f = OvsDpdkPipeline.figures(STATS, 5.0, 1_462_841_600L, 3);
        assertThat(f.packets()).isEqualTo(14_628_416L);
        assertThat(f.recirculations()).isEqualTo(7_314_208L);
        assertThat(f.mpps()).isCloseTo(2.9257, within(1e-4));
        assertThat(f.cpuNsPerPacket()).isCloseTo(100.0, within(1e-6));
        assertThat(f.processingCyclesPerPacket()).isCloseTo(676.77, within(0.01));
        assertThat(f.processingNsPerPacket()).isCloseTo(338.38, within(0.01));
        assertThat(f.megaflows()).isEqualTo(3);
    }

    @Test
    void megaflowsAreTheDumpsFlowLines() {
        // OVS 3.1's dpctl/dump-flows for the stateful rule set: two megaflows per direction's stage.
        String dump = """
                flow-dump from pmd on cpu core: 1
                ct_state(-trk),recirc_id(0),in_port(1),packet_type(ns=0,id=0),eth_type(0x0800),ipv4(frag=no),                 packets:10, bytes:640, used:0.001s, actions:ct(zone=1),recirc(0x1)
                ct_state(+new+trk),recirc_id(0x1),in_port(1),packet_type(ns=0,id=0),eth_type(0x0800),ipv4(frag=no),                 packets:10, bytes:640, used:0.001s, actions:ct(commit,zone=1),2
                """;
        assertThat(OvsDpdkPipeline.megaflows(dump)).isEqualTo(2);
        assertThat(OvsDpdkPipeline.megaflows("")).isZero();
    }
}
