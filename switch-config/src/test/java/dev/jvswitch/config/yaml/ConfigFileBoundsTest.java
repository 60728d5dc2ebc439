package dev.jvswitch.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.Diagnostics;
import dev.jvswitch.config.FlowChecker;
import dev.jvswitch.config.TestEnvironment;

/**
 * No file makes the loader block, run long, eat memory or echo its content: a device, a FIFO, a
 * file over the size limit or one that is not text is refused with one line, for the config file
 * and for an {@code @file} alike; invalid UTF-8 is reported at its line; a file of errors yields
 * its first hundred and a count of the rest; a message quotes only a short printable prefix of
 * what a file said. Each case runs under a time bound that an unbounded read would break.
 */
class ConfigFileBoundsTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** Rejects every flow that does not start with "priority=", quoting the line as ofproto does. */
    private static final FlowChecker QUOTING = TestEnvironment.checkingFlows(flow -> flow.startsWith("priority=") ? null
            : "flow syntax error at column 1: unknown field '" + flow + "'");

    private final YamlConfigLoader loader = new YamlConfigLoader(TestEnvironment.with(QUOTING));

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Path config(String flowsRef) throws IOException {
        return write("sw.yaml", """
                bridges:
                  br0:
                    ports:
                      p1: {type: null, ofport: 1}
                    flows: "%s"
                """.formatted(flowsRef));
    }

    /** The errors of loading {@code file}, as printed, within the time bound. */
    private List<String> errors(Path file) {
        return assertTimeoutPreemptively(BOUND, () -> {
            try {
                loader.load(file);
            } catch (ConfigException e) {
                return e.errors().stream().map(ConfigError::toString).toList();
            }
            throw new AssertionError("expected " + file + " to be rejected");
        });
    }

    private Path fifo(String name) throws Exception {
        Path p = dir.resolve(name);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
        return p;
    }

    private static final String NOT_REGULAR = "not a regular file (a pipe, device or socket); only regular files are read";

    @Test
    void aDeviceIsRefusedAtOnce() {
        assertThat(errors(Path.of("/dev/zero"))).containsExactly("/dev/zero:1: (file): cannot read: " + NOT_REGULAR);
    }

    @Test
    void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path f = fifo("sw.yaml");
        assertThat(errors(f)).containsExactly(f + ":1: (file): cannot read: " + NOT_REGULAR);
        // jvsctl --config reads the socket path the same way: the default, at once.
        assertThat(assertTimeoutPreemptively(BOUND, () -> YamlConfigLoader.socketOf(f)))
                .isEqualTo("/run/jvswitch/jvswitchd.sock");
    }

    @Test
    void aConfigOverTheSizeLimitIsRefusedByItsSize() throws Exception {
        Path big = dir.resolve("big.yaml");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(TextFile.MAX_CONFIG_BYTES + 1); // sparse: costs no disk
        }
        assertThat(errors(big)).containsExactly(big + ":1: (file): cannot read: is " + (TextFile.MAX_CONFIG_BYTES + 1)
                + " bytes; the limit is " + TextFile.MAX_CONFIG_BYTES + " bytes");
    }

    @Test
    void includesThatAreNotRegularFilesOrTooBigAreOneErrorEach() throws Exception {
        Path f = fifo("flows.fifo");
        Path big = dir.resolve("big.flows");
        try (RandomAccessFile r = new RandomAccessFile(big.toFile(), "rw")) {
            r.setLength(TextFile.MAX_INCLUDE_BYTES + 1);
        }
        Path cfg = config("@/dev/zero");
        assertThat(errors(cfg)).containsExactly(cfg + ":5: bridges.br0.flows: cannot read /dev/zero: " + NOT_REGULAR);
        cfg = config("@flows.fifo");
        assertThat(errors(cfg)).containsExactly(cfg + ":5: bridges.br0.flows: cannot read " + f + ": " + NOT_REGULAR);
        cfg = config("@big.flows");
        assertThat(errors(cfg)).containsExactly(cfg + ":5: bridges.br0.flows: cannot read " + big + ": is "
                + (TextFile.MAX_INCLUDE_BYTES + 1) + " bytes; the limit is " + TextFile.MAX_INCLUDE_BYTES + " bytes");
    }

    @Test
    void aBinaryIncludeIsRefusedWithoutQuotingIt() throws Exception {
        Path bin = dir.resolve("x.flows");
        Files.write(bin, new byte[] {'p', 'r', 'i', 'o', '\n', 'E', 'L', 'F', 0, 1, 2, '\n'});
        Path cfg = config("@x.flows");
        assertThat(errors(cfg)).containsExactly(bin + ":2: bridges.br0.flows: cannot read " + bin
                + ": not a text file (a NUL byte at line 2)");
    }

    @Test
    void anEndlessLineIsRefusedAtItsBound() throws Exception {
        Path bin = dir.resolve("long.flows");
        Files.write(bin, ("priority=1,actions=drop\n" + "x".repeat(TextFile.MAX_INCLUDE_LINE_BYTES + 1))
                .getBytes(StandardCharsets.US_ASCII));
        Path cfg = config("@long.flows");
        assertThat(errors(cfg)).containsExactly(bin + ":2: bridges.br0.flows: cannot read " + bin + ": line 2 is longer"
                + " than " + TextFile.MAX_INCLUDE_LINE_BYTES + " bytes");
    }

    @Test
    void invalidUtf8IsReportedAtItsLine() throws Exception {
        Path cfg = dir.resolve("sw.yaml");
        Files.write(cfg, "datapath:\n  pmd-idle: busy\n  # caf\u00e9 \u2014 fine\n  flow-limit: 10\u00ff0\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        // Line 3 is Latin-1 text, invalid as UTF-8: the first bad byte is that of the e-acute (byte 8).
        assertThat(errors(cfg)).containsExactly(cfg + ":3: (file): cannot read: not valid UTF-8 at line 3, byte 8 of"
                + " the line");
        Path flows = dir.resolve("u.flows");
        Files.write(flows, new byte[] {'p', 'r', 'i', 'o', 'r', 'i', 't', 'y', '=', '1', '\n', '#', ' ', (byte) 0xc3,
            (byte) 0xa9, '\n', 'a', (byte) 0xc3, '\n'});
        Path cfg2 = config("@u.flows");
        assertThat(errors(cfg2)).containsExactly(flows + ":3: bridges.br0.flows: cannot read " + flows
                + ": not valid UTF-8 at line 3, byte 2 of the line");
    }

    @Test
    void aFileOfErrorsShowsItsFirstHundredAndCountsTheRest() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 5_000; i++) {
            sb.append("bad").append(i).append('\n');
        }
        Path flows = write("bad.flows", sb.toString());
        Path cfg = config("@bad.flows");
        ConfigException e = assertTimeoutPreemptively(BOUND, () -> {
            try {
                loader.load(cfg);
                throw new AssertionError("expected errors");
            } catch (ConfigException x) {
                return x;
            }
        });
        assertThat(e.total()).isEqualTo(5_000);
        List<String> lines = e.errors().stream().map(ConfigError::toString).toList();
        assertThat(lines).hasSize(Diagnostics.MAX_ERRORS_PER_FILE + 1);
        assertThat(lines.get(0)).isEqualTo(flows + ":1: bridges.br0.flows: flow syntax error at column 1: unknown field"
                + " 'bad1'");
        assertThat(lines.get(100)).isEqualTo(flows + ":101: bridges.br0.flows: ... and 4900 more error(s) in this file,"
                + " not shown (only the first 100 of a file are)");
    }

    @Test
    void aMistakenIncludeIsNotEchoed() throws Exception {
        String secret = "$6$saltsalt$" + "h".repeat(86);
        Path shadow = write("shadow", "root:" + secret + ":19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n");
        Path cfg = config("@shadow");
        List<String> errors = errors(cfg);
        assertThat(errors).containsExactly(
                shadow + ":1: bridges.br0.flows: flow syntax error at column 1: unknown field 'root:$6$saltsalt\u2026'",
                shadow + ":2: bridges.br0.flows: flow syntax error at column 1: unknown field 'bin:*:19000:0:99\u2026'");
        // And in the config file itself: an unknown key is cut as well, control characters masked.
        Path cfg2 = write("sw2.yaml", "\"root:" + secret + "\": 1\n\"a\\tb\": 2\n");
        assertThat(errors(cfg2)).containsExactly(
                cfg2 + ":1: root:$6$saltsalt\u2026: unknown key (known keys: bridges, conntrack, control, datapath, db, mempool, mirrors, routes)",
                cfg2 + ":2: a?b: unknown key (known keys: bridges, conntrack, control, datapath, db, mempool, mirrors, routes)");
    }

    @Test
    void safeCutsQuotationsAndMasksControlCharacters() {
        assertThat(Diagnostics.safe("got 'fast'")).isEqualTo("got 'fast'");
        assertThat(Diagnostics.safe("got '0123456789abcdefXYZ' there")).isEqualTo("got '0123456789abcdef\u2026' there");
        assertThat(Diagnostics.safe("the field's width, got 'a\u0001b'")).isEqualTo("the field's width, got 'a?b'");
        assertThat(Diagnostics.safe("x".repeat(1_000))).hasSize(Diagnostics.MAX_MESSAGE_CHARS + 3);
    }
}
