package dev.jvswitch.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the tools print about the machine beside their figures. */
public final class Machine {
    private Machine() {
    }

    /** The 1-minute load average, or NaN if it cannot be read. */
    public static double loadAvg1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The kernel's release, e.g. {@code 6.1.0-18-amd64}. */
    public static String kernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    public static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }
}
