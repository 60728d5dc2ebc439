package dev.jvswitch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jvs-bench's command line, table-driven: every command's help (its synopsis, what it does, each
 * of its options), the version, and the one-line mistakes with exit status 2 that jvs-bench
 * printed before picocli parsed its options. Nothing here runs a benchmark.
 */
class BenchCliTest {
    record Outcome(int status, String out, String err) {
    }

    static Outcome bench(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> commandsWithHelp() {
        return BenchCli.SUBS.stream().filter(s -> !s.ownHelp())
                .flatMap(s -> Stream.of(Arguments.of(s.name(), "--help"), Arguments.of(s.name(), "-h")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("commandsWithHelp")
    void everyCommandHasHelpListingEachOption(String name, String flag) throws Exception {
        BenchCli.Sub sub = BenchCli.find(name);
        Outcome o = bench(name, flag);
        assertThat(o.status()).isZero();
        assertThat(o.err()).isEmpty();
        assertThat(o.out()).startsWith("Usage: jvs-bench " + name).contains("--help", "--version");
        for (String option : sub.options()) {
            assertThat(o.out()).as(name + " --" + option).containsPattern("--" + option + "=\\S+");
        }
        for (String f : sub.flags()) {
            assertThat(o.out()).as(name + " --" + f).contains("--" + f);
        }
        // Help after other options too, as picocli reads it.
        assertThat(bench(name, "--json", flag).out()).isEqualTo(o.out());
    }

    @ParameterizedTest
    @MethodSource("standardFlags")
    void topLevelHelpAndVersion(String flag, String expected) throws Exception {
        Outcome o = bench(flag);
        assertThat(o.status()).isZero();
        assertThat(o.out()).contains(expected);
    }

    static Stream<Arguments> standardFlags() {
        return Stream.of(Arguments.of("--help", "usage: jvs-bench <command> [options]"),
                Arguments.of("-h", "  ct-bench [--threads N]"),
                Arguments.of("--version", "jvs-bench (jvswitch) "),
                Arguments.of("-V", "(java "));
    }

    @ParameterizedTest
    @MethodSource("commandsWithHelp")
    void everyCommandPrintsItsVersion(String name, String ignored) throws Exception {
        assertThat(bench(name, "--version").out()).startsWith("jvs-bench (jvswitch) ");
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(new String[] {"nosuch"}, "jvs-bench: unknown command 'nosuch'"),
                Arguments.of(new String[] {"daemon-tables"},
                        "jvs-bench: daemon-tables is a script: run it as bin/jvs-bench daemon-tables"),
                Arguments.of(new String[] {"pipeline", "--bogus"}, "pipeline: unknown option --bogus"),
                Arguments.of(new String[] {"pipeline", "--bogus=3"}, "pipeline: unknown option --bogus"),
                Arguments.of(new String[] {"pipeline", "x"}, "pipeline: unexpected argument 'x'"),
                Arguments.of(new String[] {"pipeline", "-x"}, "pipeline: unexpected argument '-x'"),
                Arguments.of(new String[] {"pipeline", "--json=1"}, "pipeline: --json takes no value"),
                Arguments.of(new String[] {"pipeline", "--pcap"}, "pipeline: --pcap needs a value"),
                Arguments.of(new String[] {"pipeline"}, "pipeline: --pcap is required"),
                Arguments.of(new String[] {"pipeline", "--pcap", "/dev/null", "--seconds", "soon"},
                        "pipeline: --seconds must be a number, got 'soon'"),
                Arguments.of(new String[] {"pipeline", "--pcap", "/dev/null", "--seconds", "0"},
                        "pipeline: --seconds must be within 0.1..86400.0, got 0"),
                Arguments.of(new String[] {"pipeline", "--pcap", "/dev/null", "--repeat", "x"},
                        "pipeline: --repeat must be an integer, got 'x'"),
                Arguments.of(new String[] {"gen-pcap"}, "gen-pcap: --flows is required"),
                Arguments.of(new String[] {"gen-pcap", "--flows", "0"}, "gen-pcap: --flows must be within 1..16000000, got 0"),
                Arguments.of(new String[] {"pktgen", "--port", "x"}, "pktgen: --rate is required"),
                Arguments.of(new String[] {"ndr"}, "ndr: --dut is required"),
                Arguments.of(new String[] {"latency", "--dut", "nope"}, "latency: --dut must be"),
                Arguments.of(new String[] {"compare", "--flows", "0"}, "compare: --flows takes flow counts"),
                Arguments.of(new String[] {"reval-bench", "--cycles", "0"}, "reval-bench: --cycles must be within 1..1000, got 0"),
                Arguments.of(new String[] {"ovs-megaflows", "--flows", "f"}, "ovs-megaflows: --pcap is required"),
                Arguments.of(new String[] {"ct-bench", "--threads", "65"}, "ct-bench: --threads must be within 1..64, got 65"),
                Arguments.of(new String[] {"tables", "--rules", "5"},
                        "table-bench: --rules: '5' is not a count within 10..4000000"),
                Arguments.of(new String[] {"table-bench", "--shape", "acl"}, "table-bench: --shape: 'acl' is not 5tuple or multi-table"),
                Arguments.of(new String[] {"afpacket-fwd", "--mode", "fast"},
                        "afpacket-fwd: --mode must be io, switch or both, got 'fast'"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void mistakesAreOneLineAndExit2(String[] args, String message) throws Exception {
        Outcome o = bench(args);
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err().lines().toList()).hasSize(2);
        assertThat(o.err().lines().findFirst().orElseThrow()).startsWith(message);
        assertThat(o.err()).endsWith("run 'jvs-bench --help' for usage\n");
    }

    @ParameterizedTest
    @MethodSource("repeatable")
    void optionsRepeatAndTheLastCounts(String[] args, String message) throws Exception {
        assertThat(bench(args).err().lines().findFirst().orElseThrow()).isEqualTo(message);
    }

    static Stream<Arguments> repeatable() {
        return Stream.of(Arguments.of(new String[] {"ct-bench", "--threads", "2", "--threads=0"},
                "ct-bench: --threads must be within 1..64, got 0"),
                // A value that looks like an option is still the value, as before.
                Arguments.of(new String[] {"pipeline", "--pcap", "--json"}, "pipeline: --pcap --json: no such readable file"));
    }
}
