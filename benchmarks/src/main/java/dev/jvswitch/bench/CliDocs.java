package dev.jvswitch.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes jvs-bench's man page and bash completion script from its picocli model; run by the build
 * ({@code package}), never by jvs-bench: {@code DIR/man/jvs-bench.1} (roff: the usage, then each
 * command's help as it prints), {@code DIR/man/jvs-bench.adoc} (picocli-codegen's AsciiDoc) and
 * {@code DIR/completion/jvs-bench} (bash; zsh through bashcompinit). picocli-codegen is a
 * build-time dependency: this class is its only user.
 */
public final class CliDocs {
    private CliDocs() {
    }

    /** {@code CliDocs DIR}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir.resolve("man"));
        Files.createDirectories(dir.resolve("completion"));
        CommandLine cl = BenchCli.commandLine();
        Files.writeString(dir.resolve("man/jvs-bench.1"), roff());
        Files.writeString(dir.resolve("completion/jvs-bench"), AutoComplete.bash("jvs-bench", cl));
        // Last: the generator leaves its AsciiDoc markup in the model's colour scheme.
        StringWriter adoc = new StringWriter();
        try (PrintWriter pw = new PrintWriter(adoc)) {
            ManPageGenerator.writeSingleManPage(pw, cl.getCommandSpec());
        }
        Files.writeString(dir.resolve("man/jvs-bench.adoc"), adoc.toString());
    }

    static String roff() {
        StringBuilder sb = new StringBuilder();
        String version = BenchCli.versionLine().split(" ")[2];
        sb.append(".TH JVS-BENCH 1 \"\" \"jvswitch ").append(version).append("\" \"jvswitch manual\"\n");
        sb.append(".SH NAME\njvs-bench \\- benchmarks and traffic tools of jvswitch\n");
        sb.append(".SH SYNOPSIS\n.nf\n");
        verbatim(sb, Main.USAGE + "\n" + BenchCli.STANDARD_OPTIONS);
        sb.append(".fi\n.SH COMMANDS\n");
        for (BenchCli.Sub s : BenchCli.SUBS) {
            sb.append(".SS ").append(s.name()).append("\n.nf\n");
            verbatim(sb, BenchCli.help(s));
            sb.append(".fi\n");
        }
        return sb.toString();
    }

    private static void verbatim(StringBuilder sb, String text) {
        for (String line : text.split("\n", -1)) {
            String s = line.replace("\\", "\\e");
            sb.append(s.startsWith(".") || s.startsWith("'") ? "\\&" + s : s).append('\n');
        }
    }
}
