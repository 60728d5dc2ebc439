package dev.jvswitch.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What compare writes, from rows it did not have to measure: CSV, JSON, the table, the plots. */
class CompareOutputTest {
    private static final Map<String, Double> LATENCY = latency();

    private static Map<String, Double> latency() {
        Map<String, Double> l = new LinkedHashMap<>();
        l.put("min", 5.0);
        l.put("p50", 12.0);
        l.put("p90", 20.0);
        l.put("p99", 40.0);
        l.put("p99.9", 90.0);
        l.put("max", 300.0);
        l.put("mean", 14.0);
        return l;
    }

    private static List<CompareRow> rows() {
        return List.of(
                new CompareRow(1, CompareRow.PIPELINE, "jvswitch", "ok", null, 10.0, Double.NaN, 95.0, Map.of()),
                new CompareRow(1, CompareRow.PIPELINE, "ovs-dpdk", "ok", null, 12.5, Double.NaN, 80.0, Map.of()),
                CompareRow.unavailable(1, CompareRow.PIPELINE, "testpmd", "dpdk-testpmd is not installed"),
                new CompareRow(1, CompareRow.VETH, "jvswitch", "ok", null, 0.5, 0.52, Double.NaN, LATENCY),
                new CompareRow(1, CompareRow.VETH, "linux-bridge", "ok", null, 0.25, 0.3, Double.NaN, LATENCY),
                CompareRow.failed(1, CompareRow.VETH, "ovs-netdev", "ovs-vswitchd exited, \"boom\""),
                new CompareRow(1000, CompareRow.PIPELINE, "jvswitch", "ok", null, 6.0, Double.NaN, 150.0, Map.of()),
                new CompareRow(1000, CompareRow.VETH, "jvswitch", "ok", null, 0.45, 0.5, Double.NaN, LATENCY));
    }

    @Test
    void csvHasAHeaderAndARowPerCellWithQuotedNotes(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("compare.csv");
        CompareReport.writeCsv(csv, rows());
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(1 + rows().size());
        assertThat(lines.get(0)).isEqualTo(CompareReport.CSV_HEADER);
        assertThat(lines.get(1)).isEqualTo("1,pipeline,jvswitch,ok,10.0000,,95.0000,,,,,,");
        assertThat(lines.get(4)).isEqualTo("1,veth,jvswitch,ok,0.500000,0.520000,,12.0000,20.0000,40.0000,90.0000,"
                + "300.000,");
        assertThat(lines.get(6)).isEqualTo("1,veth,ovs-netdev,failed,,,,,,,,,\"ovs-vswitchd exited, \"\"boom\"\"\"");
    }

    @Test
    void aCsvReadsBackIntoTheRowsItWasWrittenFrom(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("compare.csv");
        CompareReport.writeCsv(csv, rows());
        List<CompareRow> back = CompareReport.readCsv(csv);
        assertThat(back).hasSize(rows().size());
        assertThat(back.get(3).mpps()).isEqualTo(0.5);
        assertThat(back.get(3).latency("p99")).isEqualTo(40.0);
        assertThat(back.get(5).note()).isEqualTo("ovs-vswitchd exited, \"boom\"");
        assertThat(back.get(0).pdrMpps()).isNaN();
        Files.writeString(csv, "flows,dut\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CompareReport.readCsv(csv))
                .hasMessageContaining("not a compare.csv");
    }

    @Test
    void jsonCarriesEveryRowAndTheMachine() {
        String json = CompareReport.json(rows(), List.of("{\"flows\":1,\"dut\":\"jvswitch\"}"), List.of(1, 1000));
        assertThat(json).startsWith("{\"command\":\"compare\",\"cpus\":").contains("\"flows\":[1,1000]")
                .contains("{\"flows\":1,\"stage\":\"pipeline\",\"dut\":\"jvswitch\",\"status\":\"ok\",\"mpps\":10.0000,"
                        + "\"pdrMpps\":null,\"cpuNsPerPacket\":95.0000,\"latencyUsAtHalfNdr\":null}")
                .contains("\"status\":\"unavailable\",\"mpps\":null,\"pdrMpps\":null,\"cpuNsPerPacket\":null,"
                        + "\"note\":\"dpdk-testpmd is not installed\"")
                .contains("\"latencyUsAtHalfNdr\":{\"min\":5.00000,\"p50\":12.0000")
                .contains("\"searches\":[{\"flows\":1,\"dut\":\"jvswitch\"}]")
                .contains("\"loadAvg1End\":");
    }

    @Test
    void theTableGivesRatiosToJvswitchInTheSameStage() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CompareReport.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8), rows(), List.of(1, 1000));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertThat(table).containsPattern("1 +pipeline +ovs-dpdk +12\\.5000 +- +1\\.25 ")
                .containsPattern("1 +veth +linux-bridge +0\\.2500 +0\\.3000 +0\\.50 +40\\.0")
                .contains("unavailable: dpdk-testpmd is not installed")
                .containsPattern("1000 +veth +jvswitch +0\\.4500 +0\\.5000 +1\\.00 ");
    }

    @Test
    void plotsAreRealPngsOfTheRightSize(@TempDir Path dir) throws Exception {
        List<Path> files = Plots.write(dir, rows(), 1);
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("throughput.png", "latency.png");
        for (Path f : files) {
            var image = ImageIO.read(f.toFile());
            assertThat(image).as("%s decodes as an image", f).isNotNull();
            assertThat(image.getWidth()).isEqualTo(Plots.WIDTH);
            assertThat(image.getHeight()).isEqualTo(Plots.HEIGHT);
        }
        // Two DUTs in memory, two through veths: four lines; one DUT failed and draws none.
        assertThat(Plots.throughput(rows()).getXYPlot().getDataset().getSeriesCount()).isEqualTo(4);
        assertThat(Plots.latency(rows(), 1).getCategoryPlot().getDataset().getRowCount()).isEqualTo(2);
    }
}
