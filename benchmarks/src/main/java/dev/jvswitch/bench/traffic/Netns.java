package dev.jvswitch.bench.traffic;

import java.util.concurrent.Callable;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * Runs code inside a named network namespace ({@code ip netns add NAME}): a fresh thread enters
 * it with {@code setns(2)}, which changes only that thread, and the sockets it opens stay in that
 * namespace for good, whichever thread uses them afterwards. That is how a traffic generator's
 * port ({@link PacedUdpLoad}) lives in a host's namespace while the JVM stays in the root one.
 *
 * <p><b>Thread-safety:</b> stateless; each call uses its own thread.
 */
public final class Netns {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;

    /** The three libc calls needed. */
    @SaveError
    public interface LibC {
        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);

        String strerror(int errnum);
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).failImmediately().load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    private Netns() {
    }

    /**
     * Calls {@code body} on a new thread that has entered namespace {@code ns}, waits for it and
     * returns what it returned.
     *
     * @throws IllegalStateException naming the namespace and errno's text if it cannot be entered
     */
    public static <T> T callIn(String ns, Callable<T> body) throws Exception {
        Object[] result = new Object[1];
        Exception[] failure = new Exception[1];
        Thread t = new Thread(() -> {
            try {
                enter(ns);
                result[0] = body.call();
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "netns-" + ns);
        t.start();
        t.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    private static void enter(String ns) {
        String path = "/var/run/netns/" + ns;
        int fd = Holder.LIBC.open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("network namespace " + ns + ": open " + path + ": " + error());
        }
        try {
            if (Holder.LIBC.setns(fd, CLONE_NEWNET) != 0) {
                throw new IllegalStateException("network namespace " + ns + ": setns: " + error());
            }
        } finally {
            Holder.LIBC.close(fd);
        }
    }

    private static String error() {
        int errno = Holder.RUNTIME.getLastError();
        return Holder.LIBC.strerror(errno) + " (errno " + errno + ")";
    }
}
