package dev.jvswitch.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** The run directories drivers make for their DUTs' configs and logs: kept only when a run failed. */
public final class RunDirs {
    private RunDirs() {
    }

    /** Removes {@code dir} unless {@code failed}, in which case it says where the logs are. */
    public static void removeUnlessFailed(String command, Path dir, boolean failed) {
        if (failed) {
            System.err.println(command + ": logs kept in " + dir);
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println(command + ": cannot remove " + dir + ": " + e.getMessage());
        }
    }
}
