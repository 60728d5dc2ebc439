package dev.jvswitch.vswitchd.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.api.Test;

/**
 * jvsctl's plain-form parser (the one that spares scripts loading picocli) never disagrees with
 * picocli: whatever it accepts, picocli parses to the same options; what it refuses, picocli
 * judges.
 */
class JvsctlPlainArgsTest {
    private static final List<String> TOKENS = List.of("--socket", "--config", "--json", "--timeout", "5", "0",
            "99", "1e3", "/run/x.sock", "conf.yaml", "-m", "--help", "-h", "-V", "--version", "--bogus",
            "--socket=/s", "dpctl/dump-flows", "ofctl/add-flow", "br0", "in_port=1,actions=drop", "@flows",
            "--", "", "a b");

    @Provide
    Arbitrary<List<String>> argv() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(7);
    }

    @Property(tries = 3000)
    void whatThePlainParserAcceptsPicocliParsesTheSame(@ForAll("argv") List<String> argv) {
        String[] args = argv.toArray(new String[0]);
        JvsctlCli.Options plain = JvsctlCli.plain(args);
        if (plain != null) {
            assertThat(JvsctlCli.parseWithPicocli(args)).isEqualTo(new JvsctlCli.Run(plain));
        }
    }

    @Test
    void theFormsScriptsUseArePlain() {
        assertThat(JvsctlCli.plain(new String[] {"dpctl/dump-flows"})).isEqualTo(
                new JvsctlCli.Options(null, null, false, Jvsctl.DEFAULT_TIMEOUT_S, "dpctl/dump-flows", List.of()));
        assertThat(JvsctlCli.plain(new String[] {"--socket", "/s", "--json", "--timeout", "5", "ofctl/dump-flows",
                "br0", "--help"})).isEqualTo(new JvsctlCli.Options("/s", null, true, 5, "ofctl/dump-flows",
                        List.of("br0", "--help")));
        assertThat(JvsctlCli.plain(new String[] {"--help"})).isNull();
        assertThat(JvsctlCli.plain(new String[] {"--socket=/s", "x"})).isNull();
        assertThat(JvsctlCli.plain(new String[] {"--timeout", "0", "x"})).isNull();
    }
}
