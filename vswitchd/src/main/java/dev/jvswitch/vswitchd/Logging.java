package dev.jvswitch.vswitchd;

import java.nio.file.Path;

import dev.jvswitch.vswitchd.vlog.Vlog;

/**
 * Sets logging up (Logback through {@link Vlog}) at the level the config or {@code --log-level}
 * asks for, to the config's {@code log-file} or stderr, before anything logs. Levels change
 * later with {@code jvsctl vlog/set}.
 */
final class Logging {
    private Logging() {
    }

    static Vlog init(String level, String logFile) {
        return Vlog.configure(level, logFile == null ? null : Path.of(logFile));
    }
}
