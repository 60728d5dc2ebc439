package dev.jvswitch.vswitchd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The process's open-descriptor limit (RLIMIT_NOFILE), raised at start as Open vSwitch raises
 * it: the soft limit goes up to the hard limit, so ports, sockets and control clients have every
 * descriptor the administrator allows. (HotSpot does the same on Linux unless
 * {@code -XX:-MaxFDLimit}; doing it here makes it hold whatever the JVM flags, and gives the
 * daemon the figure to log and to size its listeners against.)
 *
 * <p>{@code setrlimit} is reached through JNR-FFI; if libc cannot be bound, the limit is read from
 * {@code /proc/self/limits} and left as it is.
 *
 * <p>Stateless.
 */
final class DescriptorLimit {
    /** {@code RLIMIT_NOFILE} on Linux (x86-64, arm64: the generic value). */
    private static final int RLIMIT_NOFILE = 7;
    private static final long RLIM_INFINITY = -1L;

    private DescriptorLimit() {
    }

    /**
     * The limit before and after raising it.
     *
     * @param before soft limit found (-1: unknown)
     * @param soft   soft limit now (-1: unknown)
     * @param hard   hard limit (-1: unknown or unlimited)
     */
    record Limit(long before, long soft, long hard) {
        /** One line for the start-up log. */
        String describe() {
            if (soft < 0) {
                return "descriptor limit (RLIMIT_NOFILE): unknown";
            }
            return "descriptor limit (RLIMIT_NOFILE): " + soft + (before >= 0 && before != soft ? " (raised from "
                    + before + ")" : "") + (hard >= 0 && hard != soft ? ", hard limit " + hard : "");
        }
    }

    /** The libc calls, bound on first use. */
    public interface LibC {
        int getrlimit(int resource, @Out long[] rlim);

        int setrlimit(int resource, @In long[] rlim);
    }

    /** Raises the soft limit to the hard limit (when it is below) and returns the outcome. */
    static Limit raise() {
        LibC libc;
        try {
            libc = LibraryLoader.create(LibC.class).load("c");
        } catch (LinkageError | RuntimeException e) {
            long soft = fromProc();
            return new Limit(soft, soft, -1);
        }
        long[] rl = new long[2];
        if (libc.getrlimit(RLIMIT_NOFILE, rl) != 0) {
            long soft = fromProc();
            return new Limit(soft, soft, -1);
        }
        long before = rl[0];
        long hard = rl[1];
        if (hard != RLIM_INFINITY && before != RLIM_INFINITY && before < hard) {
            long[] raised = {hard, hard};
            if (libc.setrlimit(RLIMIT_NOFILE, raised) == 0) {
                return new Limit(before, hard, hard);
            }
        }
        return new Limit(before, before, hard);
    }

    /** The soft limit from {@code /proc/self/limits}, or -1. */
    private static long fromProc() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[0].equals("unlimited") ? -1 : Long.parseLong(f[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Unknown.
        }
        return -1;
    }
}
