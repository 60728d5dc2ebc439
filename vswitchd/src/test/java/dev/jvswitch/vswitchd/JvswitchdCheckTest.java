package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jvswitchd --check}: a file with the deprecated {@code datapath.mac-*} keys is valid; each
 * such key prints one warning line naming file and line, then the usual OK. A config that never
 * ends ({@code /dev/zero}) is one error line and exit 2, at once. Port options are judged by the
 * port type without opening anything, so {@code --check} refuses what a start would.
 */
class JvswitchdCheckTest {
    @TempDir
    Path dir;

    /** What {@code jvswitchd --config FILE --check} returned and printed (its stderr, by line). */
    private record Check(int status, List<String> lines) {
    }

    private static Check check(String file) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Jvswitchd.run(new String[] {"--config", file, "--check"},
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Check(status, err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void deprecatedKeysAreOneWarningLineEachAndNotAnError() throws Exception {
        Path file = TestSwitch.writeConfig(dir, """
                datapath:
                  pmd-idle: backoff
                  mac-aging-time: 60
                bridges:
                  br0:
                    ports:
                      a: {type: null, ofport: 1}
                """);
        Check c = check(file.toString());
        assertThat(c.status()).isEqualTo(Jvswitchd.EXIT_OK);
        assertThat(c.lines()).containsExactly(
                file + ":3: datapath.mac-aging-time: deprecated: set it per bridge (bridges.NAME.mac-aging-time);"
                        + " here it is the default of every bridge that does not",
                file + ": OK");
    }

    @Test
    void aConfigThatNeverEndsIsOneLineAndExit2() {
        long start = System.nanoTime();
        Check c = check("/dev/zero");
        assertThat(c.status()).isEqualTo(Jvswitchd.EXIT_USAGE);
        assertThat(c.lines()).containsExactly(
                "/dev/zero:1: (file): cannot read: not a regular file (a pipe, device or socket); only regular files are"
                        + " read",
                "jvswitchd: 1 error(s) in /dev/zero; nothing started");
        assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
    }

    @Test
    void portOptionsAreCheckedAsAStartWouldCheckThem() throws Exception {
        Path file = TestSwitch.writeConfig(dir, """
                datapath:
                  pmd-idle: backoff
                bridges:
                  br0:
                    ports:
                      a: {type: null, ofport: 1, options: {colour: blue}}
                      b: {type: afpacket, ofport: 2, options: {ifname: eth0, rxqs: 0}}
                      c: {type: afpacket, ofport: 3}
                """);
        Check c = check(file.toString());
        assertThat(c.status()).isEqualTo(Jvswitchd.EXIT_USAGE);
        assertThat(c.lines()).containsExactly(
                file + ":6: bridges.br0.ports.a.options: port a: unknown option 'colour' for type null (known: mac, mtu)",
                file + ":7: bridges.br0.ports.b.options: port b: option 'rxqs' must be within 1..64, got 0",
                file + ":8: bridges.br0.ports.c.options: port c: option 'ifname' is required for type afpacket",
                "jvswitchd: 3 error(s) in " + file + "; nothing started");
    }
}
