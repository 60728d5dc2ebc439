package dev.jvswitch.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import dev.jvswitch.bench.afpacket.AfPacketFwdBench;
import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.compare.CompareCommand;
import dev.jvswitch.bench.ct.CtBenchCommand;
import dev.jvswitch.bench.demo.DemoCommand;
import dev.jvswitch.bench.l2fwd.L2Fwd;
import dev.jvswitch.bench.l2fwd.L2FwdOptions;
import dev.jvswitch.bench.latency.LatencyCommand;
import dev.jvswitch.bench.ndr.NdrCommand;
import dev.jvswitch.bench.ovs.OvsMegaflowsCommand;
import dev.jvswitch.bench.pcap.GenPcapCommand;
import dev.jvswitch.bench.pipeline.PipelineCommand;
import dev.jvswitch.bench.pktgen.PktgenCommand;
import dev.jvswitch.bench.reval.RevalBenchCommand;
import dev.jvswitch.bench.tables.TableBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * jvs-bench's commands as one table: name, aliases, options and flags (each command's own
 * {@code OPTIONS} and {@code FLAGS}, which its {@link Args#parse} reads), and the code that runs
 * it. Each command's help is its block of {@link Main#USAGE} (synopsis, then what it does) with
 * its options as picocli lists them; the same table builds the picocli model from which the
 * build writes the man page and the shell completion.
 */
final class BenchCli {
    /** The code of a command. */
    @FunctionalInterface
    interface Runner {
        int run(String[] args) throws Exception;
    }

    /**
     * A command.
     *
     * @param ownHelp the command prints its own help ({@code l2fwd}, JMH's options, the script)
     * @param runner  null for {@code daemon-tables}, which {@code bin/jvs-bench} runs as a script
     */
    record Sub(String name, List<String> aliases, Set<String> options, Set<String> flags, boolean ownHelp,
            Runner runner) {
    }

    static final String STANDARD_OPTIONS = "\n  -h, --help       Show this help message and exit (also after a command).\n"
            + "  -V, --version    Print version information and exit.";

    static final List<Sub> SUBS = List.of(
            new Sub("gen-pcap", List.of(), GenPcapCommand.OPTIONS, GenPcapCommand.FLAGS, false, GenPcapCommand::run),
            new Sub("pipeline", List.of(), PipelineCommand.OPTIONS, PipelineCommand.FLAGS, false,
                    PipelineCommand::run),
            new Sub("l2fwd", List.of(), L2FwdOptions.OPTIONS, L2FwdOptions.FLAGS, true, L2Fwd::run),
            new Sub("afpacket-fwd", List.of(), AfPacketFwdBench.OPTIONS, AfPacketFwdBench.FLAGS, false,
                    AfPacketFwdBench::run),
            new Sub("latency", List.of(), LatencyCommand.OPTIONS, LatencyCommand.FLAGS, false, LatencyCommand::run),
            new Sub("pktgen", List.of(), PktgenCommand.OPTIONS, PktgenCommand.FLAGS, false, PktgenCommand::run),
            new Sub("ndr", List.of(), NdrCommand.OPTIONS, NdrCommand.FLAGS, false, NdrCommand::run),
            new Sub("compare", List.of(), CompareCommand.OPTIONS, CompareCommand.FLAGS, false, CompareCommand::run),
            new Sub("reval-bench", List.of(), RevalBenchCommand.OPTIONS, RevalBenchCommand.FLAGS, false,
                    RevalBenchCommand::run),
            new Sub("ovs-megaflows", List.of(), OvsMegaflowsCommand.OPTIONS, OvsMegaflowsCommand.FLAGS, false,
                    OvsMegaflowsCommand::run),
            new Sub("ct-bench", List.of(), CtBenchCommand.OPTIONS, CtBenchCommand.FLAGS, false, CtBenchCommand::run),
            new Sub("table-bench", List.of("tables"), TableBenchCommand.OPTIONS, TableBenchCommand.FLAGS, false,
                    TableBenchCommand::run),
            new Sub("daemon-tables", List.of(), Set.of("rules", "settle"), Set.of("keep"), true, null),
            new Sub("demo", List.of(), Set.of(), Set.of(), false, DemoCommand::run),
            new Sub("jmh", List.of(), Set.of(), Set.of(), true, args -> {
                org.openjdk.jmh.Main.main(args);
                return 0;
            }));

    private BenchCli() {
    }

    /** The command called {@code name} (or by that alias); null if none. */
    static Sub find(String name) {
        for (Sub s : SUBS) {
            if (s.name().equals(name) || s.aliases().contains(name)) {
                return s.runner() == null ? scriptOnly(s) : s;
            }
        }
        return null;
    }

    private static Sub scriptOnly(Sub s) {
        return new Sub(s.name(), s.aliases(), s.options(), s.flags(), true, args -> {
            throw new Args.UsageException("jvs-bench: " + s.name() + " is a script: run it as bin/jvs-bench "
                    + s.name());
        });
    }

    /** Whether any of {@code args} is one of {@code names}. */
    static boolean asksFor(String[] args, String... names) {
        for (String a : args) {
            for (String n : names) {
                if (a.equals(n)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code jvs-bench COMMAND --help}. */
    static String help(Sub sub) {
        CommandLine cl = new CommandLine(spec(sub));
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        return cl.getUsageMessage();
    }

    /** The picocli model of one command, its help text from its block of {@link Main#USAGE}. */
    static CommandSpec spec(Sub sub) {
        List<String> synopsis = new ArrayList<>();
        List<String> description = new ArrayList<>();
        block(sub.name(), synopsis, description);
        String syn = String.join("\n", synopsis).replace("%", "%%");
        CommandSpec spec = Args.spec(sub.name(), sub.options(), sub.flags(), syn,
                description.stream().map(d -> d.replace("%", "%%")).toArray(String[]::new));
        spec.aliases(sub.aliases().toArray(new String[0]));
        if (sub.name().equals("jmh")) {
            spec.addUnmatchedArgsBinding(CommandLine.Model.UnmatchedArgsBinding.forStringArrayConsumer(
                    new CommandLine.Model.ISetter() {
                        @Override
                        public <T> T set(T value) {
                            return value;
                        }
                    }));
        }
        return spec;
    }

    /**
     * Splits the command's block of the usage text: the head line and the lines that continue
     * it (they start with {@code [} or {@code --}) are the synopsis, prefixed with
     * {@code jvs-bench}; the rest is the description.
     */
    static void block(String name, List<String> synopsis, List<String> description) {
        boolean in = false;
        for (String line : Main.USAGE.split("\n")) {
            if (line.startsWith("  ") && !line.startsWith("   ")) {
                String head = line.strip();
                in = head.equals(name) || head.startsWith(name + " ");
                if (in) {
                    synopsis.add("jvs-bench " + head);
                }
                continue;
            }
            if (!in) {
                continue;
            }
            String t = line.strip();
            if (description.isEmpty() && (t.startsWith("[") || t.startsWith("--"))) {
                synopsis.add("    " + line.substring(Math.min(line.length(), 2)));
            } else {
                description.add(t);
            }
        }
    }

    /** The model of jvs-bench with every command, for the man page and the completion script. */
    static CommandLine commandLine() {
        CommandSpec top = CommandSpec.create().name("jvs-bench").version(versionLine());
        top.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit (also after a command).").build());
        top.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        top.usageMessage().description(Main.USAGE.replace("%", "%%").split("\n"))
                .customSynopsis("jvs-bench <command> [options]%n");
        CommandLine cl = new CommandLine(top);
        for (Sub s : SUBS) {
            cl.addSubcommand(s.name(), new CommandLine(spec(s)), s.aliases().toArray(new String[0]));
        }
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        return cl;
    }

    /** {@code --version}'s line. */
    static String versionLine() {
        Properties p = new Properties();
        try (InputStream in = BenchCli.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // "unknown" below.
        }
        return "jvs-bench (jvswitch) " + p.getProperty("version", "unknown") + " (java " + Runtime.version() + ")";
    }
}
