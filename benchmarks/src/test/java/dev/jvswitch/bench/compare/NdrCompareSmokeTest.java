package dev.jvswitch.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.bench.dut.DutKind;
import dev.jvswitch.bench.dut.DutOptions;
import dev.jvswitch.bench.dut.Shell;
import dev.jvswitch.bench.dut.TestpmdPipeline;
import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.bench.ndr.NdrCommand;

/**
 * {@code ndr} and {@code compare} for real, kept tiny (root only): short trials, few of them, one
 * flow count. What they measure on a shared CI machine says little; that they build their
 * namespaces, find a rate, measure latency, report what is not installed and write every output
 * says a lot. (Whether they leave namespaces behind cannot be told from a namespace count while
 * other builds on the machine make and remove their own.)
 */
class NdrCompareSmokeTest {
    private static final String[] TINY = {"--trial", "0.2", "--max-trials", "3", "--warmup", "0.2",
            "--latency-at", "0.5", "--precision", "0.1"};

    private static String[] args(List<String> head) {
        String[] a = new String[head.size() + TINY.length];
        head.toArray(a);
        System.arraycopy(TINY, 0, a, head.size(), TINY.length);
        return a;
    }

    private static double number(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":(-?[0-9.e+-]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", field, json).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    @Timeout(180)
    void ndrFindsALinuxBridgesRateAndSaysWhatIsNotInstalled() throws Exception {
        Needs.that(Shell.isRoot(), "root (namespaces and veths)");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = NdrCommand.run(args(List.of("--dut", "linux-bridge,testpmd", "--flows", "4", "--json")),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String json = bytes.toString(StandardCharsets.UTF_8).trim();
        assertThat(status).as(json).isZero();
        assertThat(json).startsWith("{\"command\":\"ndr\"").doesNotContain("\n");
        String bridge = json.substring(json.indexOf("{\"dut\":\"linux-bridge\""), json.indexOf("{\"dut\":\"testpmd\""));
        assertThat(bridge).contains("\"available\":true").doesNotContain("\"error\"");
        assertThat(number(bridge, "ndrMpps")).isPositive();
        assertThat(number(bridge, "pdrMpps")).isGreaterThanOrEqualTo(number(bridge, "ndrMpps"));
        assertThat(number(bridge, "generatorCeilingMpps")).isPositive();
        assertThat(bridge).contains("\"trials\":[{\"mpps\":").contains("\"latency\":[{\"fractionOfNdr\":0.500000,");
        assertThat(number(bridge, "p99")).isPositive();
        String testpmd = json.substring(json.indexOf("{\"dut\":\"testpmd\""));
        String missing = DutKind.TESTPMD.missing(new DutOptions(1, Path.of("bin/jvswitchd"), null, "busy", null, 256));
        if (missing != null) {
            assertThat(testpmd).contains("\"available\":false,\"reason\":\"" + missing + "\"");
        } else {
            // Installed: DPDK's io forwarding over net_af_packet searched like any DUT.
            assertThat(testpmd).contains("\"available\":true").doesNotContain("\"error\"")
                    .contains("\"trials\":[{\"mpps\":");
            assertThat(number(testpmd, "generatorCeilingMpps")).isPositive();
        }
    }

    @Test
    @Timeout(120)
    void compareMeasuresTestpmdsIoFloorInMemory(@TempDir Path out) throws Exception {
        String missing = TestpmdPipeline.missing();
        Needs.that(missing == null, "dpdk-testpmd with net_pcap and net_null, as root (" + missing + ")");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = CompareCommand.run(new String[] {"--flows", "10", "--dut", "testpmd", "--no-ndr", "--out",
                out.toString(), "--pipeline-seconds", "1", "--pipeline-warmup", "0.2"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        List<String> csv = Files.readAllLines(out.resolve("compare.csv"));
        assertThat(csv).as(text).hasSize(2);
        assertThat(csv.get(1)).startsWith("10,pipeline,testpmd,ok,");
        assertThat(Double.parseDouble(csv.get(1).split(",")[4])).isPositive();
    }

    @Test
    @Timeout(300)
    void compareWithJvswitchAloneWritesEveryOutput(@TempDir Path out) throws Exception {
        Needs.that(Shell.isRoot(), "root (namespaces and veths)");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = CompareCommand.run(args(List.of("--flows", "10", "--dut", "jvswitch", "--out", out.toString(),
                "--pipeline-seconds", "0.3", "--pipeline-warmup", "0.1")),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        List<String> csv = Files.readAllLines(out.resolve("compare.csv"));
        assertThat(csv.get(0)).isEqualTo(CompareReport.CSV_HEADER);
        assertThat(csv).hasSize(3);
        assertThat(csv.get(1)).startsWith("10,pipeline,jvswitch,ok,");
        assertThat(Double.parseDouble(csv.get(1).split(",")[4])).isPositive();
        // Through veths: measured where this build's jvswitchd is packaged (a full build), else
        // reported as not built; never a failure.
        assertThat(csv.get(2)).startsWith("10,veth,jvswitch,").doesNotContain(",failed,");
        assertThat(Files.readString(out.resolve("compare.json"))).startsWith("{\"command\":\"compare\"")
                .contains("\"rows\":[{\"flows\":10,\"stage\":\"pipeline\",\"dut\":\"jvswitch\",\"status\":\"ok\"");
        assertThat(out.resolve("throughput.png")).isNotEmptyFile();
        assertThat(out.resolve("latency.png")).isNotEmptyFile();
        assertThat(out.resolve("flows-10.pcap")).doesNotExist();
        assertThat(text).containsPattern("10 +pipeline +jvswitch +[0-9.]+ +- +1\\.00");
    }
}
