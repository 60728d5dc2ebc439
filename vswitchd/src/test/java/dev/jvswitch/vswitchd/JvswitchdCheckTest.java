package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jvswitchd --check}: a file with the deprecated {@code datapath.mac-*} keys is valid; each
 * such key prints one warning line naming file and line, then the usual OK. A config that never
 * ends ({@code /dev/zero}) is one error line and exit 2, at once.
 */
class JvswitchdCheckTest {
    @TempDir
    Path dir;

    @Test
    void deprecatedKeysAreOneWarningLineEachAndNotAnError() throws Exception {
        Path file = dir.resolve("sw.yaml");
        Files.writeString(file, """
                datapath:
                  pmd-idle: backoff
                  mac-aging-time: 60
                bridges:
                  br0:
                    ports:
                      a: {type: null, ofport: 1}
                """);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Jvswitchd.run(new String[] {"--config", file.toString(), "--check"},
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(Jvswitchd.EXIT_OK);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                file + ":3: datapath.mac-aging-time: deprecated: set it per bridge (bridges.NAME.mac-aging-time);"
                        + " here it is the default of every bridge that does not",
                file + ": OK");
    }

    @Test
    void aConfigThatNeverEndsIsOneLineAndExit2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int status = Jvswitchd.run(new String[] {"--config", "/dev/zero", "--check"},
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(Jvswitchd.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "/dev/zero:1: (file): cannot read: not a regular file (a pipe, device or socket); only regular files are"
                        + " read",
                "jvswitchd: 1 error(s) in /dev/zero; nothing started");
        assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
    }
}
