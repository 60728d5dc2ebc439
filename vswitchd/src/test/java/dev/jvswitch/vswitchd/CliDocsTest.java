package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.vswitchd.control.CommandKind;

/** The man pages and completion scripts the build writes for jvswitchd and jvsctl. */
class CliDocsTest {
    @Test
    void writesManPagesAndCompletionForBothTools(@TempDir Path dir) throws Exception {
        CliDocs.main(new String[] {dir.toString()});
        for (String tool : new String[] {"jvswitchd", "jvsctl"}) {
            assertThat(Files.readString(dir.resolve("man/" + tool + ".1"))).startsWith(".TH " + tool.toUpperCase() + " 1 ")
                    .contains(".SH NAME\n" + tool + " \\- ", "--help", "--version")
                    .doesNotContain("*--help*");
            assertThat(Files.readString(dir.resolve("man/" + tool + ".adoc"))).contains("= " + tool + "(1)");
            assertThat(Files.readString(dir.resolve("completion/" + tool))).contains("complete -F _complete_" + tool);
        }
        assertThat(Files.readString(dir.resolve("man/jvswitchd.1"))).contains("--config=FILE", "--log-level=LEVEL");
        // jvsctl completes the daemon's command names.
        String jvsctl = Files.readString(dir.resolve("completion/jvsctl"));
        for (String command : CommandKind.names()) {
            assertThat(jvsctl).contains(command);
        }
    }
}
