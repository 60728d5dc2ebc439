package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.jvswitch.testkit.sh.Sh;

/**
 * {@code bin/jvs-tcpdump}'s own command line, as the other tools': {@code --help} prints its
 * usage and exits 0; a missing port, an unknown option or a bad direction is one line on stderr
 * and exit 2, before anything is asked of tcpdump or the daemon.
 */
class JvsTcpdumpScriptTest {
    private static Sh.Result run(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = Launcher.ROOT.resolve("bin/jvs-tcpdump").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        return Sh.tryRun(cmd);
    }

    @Test
    void helpAndUsageMistakes() {
        Sh.Result help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.output()).contains("jvs-tcpdump: tcpdump on a jvswitchd port").contains("--direction rx|tx|both");

        Sh.Result none = run();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.output()).startsWith("usage: jvs-tcpdump ").hasLineCount(1);

        Sh.Result unknown = run("--frobnicate", "h1");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.output()).isEqualTo("jvs-tcpdump: unknown option '--frobnicate' (options before PORT;"
                + " tcpdump's after it)\n");

        Sh.Result direction = run("--direction", "sideways", "h1");
        assertThat(direction.exit()).isEqualTo(2);
        assertThat(direction.output()).isEqualTo("jvs-tcpdump: --direction must be rx, tx or both\n");
    }
}
