package dev.jvswitch.bench;

import java.util.Arrays;

/**
 * Entry point of {@code bin/jvs-bench}: {@code jmh [JMH options]} runs the JMH benchmarks; the
 * other subcommands are the pipeline tools added by the fast-path work.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            usage();
            System.exit(args.length == 0 ? 2 : 0);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default -> {
                System.err.println("jvs-bench: unknown command '" + args[0] + "'");
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("usage: jvs-bench <command> [options]");
        System.err.println("  jmh [JMH options]      run the JMH benchmarks (e.g. jmh -prof gc Parse)");
    }
}
