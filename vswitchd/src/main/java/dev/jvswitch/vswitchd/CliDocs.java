package dev.jvswitch.vswitchd;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.jvswitch.vswitchd.control.Version;
import dev.jvswitch.vswitchd.ctl.JvsctlCli;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the man pages and bash completion scripts of jvswitchd and jvsctl from their picocli
 * models; run by the build ({@code package}), never by the daemon: {@code DIR/man/NAME.1}
 * (roff: the help text as it prints), {@code DIR/man/NAME.adoc} (picocli-codegen's AsciiDoc, for
 * asciidoctor where it is installed) and {@code DIR/completion/NAME} (bash; zsh through
 * bashcompinit). picocli-codegen is a build-time dependency: this class is the only user.
 */
public final class CliDocs {
    private CliDocs() {
    }

    /** {@code CliDocs DIR}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        write(dir, "jvswitchd", JvswitchdCli.commandLine());
        CommandLine jvsctl = new CommandLine(JvsctlCli.spec());
        jvsctl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        write(dir, "jvsctl", jvsctl);
    }

    static void write(Path dir, String name, CommandLine cl) throws IOException {
        Files.createDirectories(dir.resolve("man"));
        Files.createDirectories(dir.resolve("completion"));
        Files.writeString(dir.resolve("man").resolve(name + ".1"), roff(name, cl));
        Files.writeString(dir.resolve("completion").resolve(name), AutoComplete.bash(name, cl));
        // Last: the generator leaves its AsciiDoc markup in the model's colour scheme.
        StringWriter adoc = new StringWriter();
        try (PrintWriter pw = new PrintWriter(adoc)) {
            ManPageGenerator.writeSingleManPage(pw, cl.getCommandSpec());
        }
        Files.writeString(dir.resolve("man").resolve(name + ".adoc"), adoc.toString());
    }

    /** A man page in roff: name, then the help text verbatim (no asciidoctor needed). */
    static String roff(String name, CommandLine cl) {
        StringBuilder sb = new StringBuilder();
        String[] description = cl.getCommandSpec().usageMessage().description();
        String summary = description.length == 0 ? "" : description[0].split("(?<=[.:]) ")[0];
        sb.append(".TH ").append(name.toUpperCase(java.util.Locale.ROOT)).append(" 1 \"\" \"jvswitch ")
                .append(Version.version()).append("\" \"jvswitch manual\"\n");
        sb.append(".SH NAME\n").append(name).append(" \\- ").append(escape(summary)).append('\n');
        sb.append(".SH DESCRIPTION\n.nf\n");
        for (String line : cl.getUsageMessage().split("\n", -1)) {
            sb.append(escape(line)).append('\n');
        }
        sb.append(".fi\n");
        return sb.toString();
    }

    private static String escape(String line) {
        String s = line.replace("\\", "\\e");
        return s.startsWith(".") || s.startsWith("'") ? "\\&" + s : s;
    }
}
