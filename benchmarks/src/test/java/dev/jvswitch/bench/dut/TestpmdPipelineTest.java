package dev.jvswitch.bench.dut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.bench.pcap.GenPcapCommand;
import dev.jvswitch.testkit.env.Needs;

/** testpmd io between net_pcap and net_null: its statistics read, and a tiny run for real. */
class TestpmdPipelineTest {
    /** One print of DPDK 22.11's testpmd {@code --stats-period} for two ports. */
    private static String print(long port0Rx, long port1Tx) {
        return "\u001b[2J\u001b[1;1H\n"
                + "Port statistics ====================================\n"
                + "  ######################## NIC statistics for port 0  ########################\n"
                + "  RX-packets: " + port0Rx + "   RX-missed: 0          RX-bytes:  1985343360\n"
                + "  RX-errors: 0\n"
                + "  RX-nombuf:  0         \n"
                + "  TX-packets: 0          TX-errors: 0          TX-bytes:  0\n\n"
                + "  Throughput (since last show)\n"
                + "  Rx-pps:     10950257          Rx-bps:   5256123576\n"
                + "  Tx-pps:            0          Tx-bps:            0\n"
                + "  ############################################################################\n\n"
                + "  ######################## NIC statistics for port 1  ########################\n"
                + "  RX-packets: 0          RX-missed: 0          RX-bytes:  0\n"
                + "  RX-errors: 0\n"
                + "  RX-nombuf:  0         \n"
                + "  TX-packets: " + port1Tx + "   TX-errors: 0          TX-bytes:  0\n"
                + "  ############################################################################\n";
    }

    @TempDir
    Path dir;

    @Test
    void figuresComeFromPort0sCompletePrintsOverTestpmdsOwnPeriods() throws IOException {
        String log = "EAL: Detected CPU lcores: 2\n" + print(201_504, 960) + print(33_089_056, 32_888_320)
                + print(55_319_168, 55_118_432);
        TestpmdPipeline.Stats s = TestpmdPipeline.stats(log);
        assertThat(s.prints()).isEqualTo(3);
        assertThat(s.rxPackets()).isEqualTo(55_319_168L);
        // Output cut in the middle of a number (testpmd's stdout is block-buffered): not a print yet.
        String cut = log + print(77_000_000, 1).substring(0, 158);
        assertThat(cut).endsWith("RX-packets: 7");
        assertThat(TestpmdPipeline.stats(cut)).isEqualTo(s);

        TestpmdPipeline.Stats first = TestpmdPipeline.stats(print(201_504, 960));
        // 55 117 664 packets over 2 periods of 1 s; 2.2 s of CPU time over the same 2.2 s of wall.
        TestpmdPipeline.Figures f = TestpmdPipeline.figures(first, s, 2_200_000_000L, 2.2);
        assertThat(f.packets()).isEqualTo(55_117_664L);
        assertThat(f.seconds()).isEqualTo(2.0);
        assertThat(f.mpps()).isCloseTo(27.5588, within(1e-4));
        assertThat(f.cpuNsPerPacket()).isCloseTo(1e9 / 27_558_832.0, within(1e-6));
        assertThatThrownBy(() -> TestpmdPipeline.figures(s, s, 1, 2.0)).isInstanceOf(IOException.class)
                .hasMessageContaining("printed no statistics during the measured 2.0 s");
    }

    @Test
    @Timeout(120)
    void aTinyRunForwardsThePcapAndLeavesNothingBehind() throws Exception {
        String missing = TestpmdPipeline.missing();
        Needs.that(missing == null, "dpdk-testpmd with net_pcap and net_null, as root (" + missing + ")");
        Path pcap = dir.resolve("flows.pcap");
        GenPcapCommand.write(pcap, 10, 1000, 64, false, -1);
        TestpmdPipeline.Figures f = TestpmdPipeline.run(pcap, 1, 0.3, 1.0);
        assertThat(f.packets()).isPositive();
        assertThat(f.seconds()).isGreaterThanOrEqualTo(1.0);
        assertThat(f.mpps()).isPositive();
        assertThat(f.cpuNsPerPacket()).isPositive().isFinite();
        Path runtime = Path.of("/var/run/dpdk");
        if (Files.isDirectory(runtime)) {
            try (Stream<Path> left = Files.list(runtime)) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("jvstp"));
            }
        }
    }
}
