package dev.jvswitch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The man page and completion script the build writes for jvs-bench name every command. */
class CliDocsTest {
    @Test
    void writesTheManPageAndCompletionOfEveryCommand(@TempDir Path dir) throws Exception {
        CliDocs.main(new String[] {dir.toString()});
        String roff = Files.readString(dir.resolve("man/jvs-bench.1"));
        String completion = Files.readString(dir.resolve("completion/jvs-bench"));
        assertThat(roff).startsWith(".TH JVS-BENCH 1 ");
        assertThat(completion).contains("complete -F _complete_jvs-bench");
        for (BenchCli.Sub s : BenchCli.SUBS) {
            assertThat(roff).contains(".SS " + s.name() + "\n");
            assertThat(completion).contains(s.name());
        }
        assertThat(Files.readString(dir.resolve("man/jvs-bench.adoc"))).contains("= jvs-bench(1)");
    }
}
