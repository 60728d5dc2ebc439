package dev.jvswitch.pmd.affinity;

import jnr.ffi.LibraryLoader;

/**
 * Sets the calling thread's timer slack ({@code prctl(PR_SET_TIMERSLACK)}): how much later than
 * asked the kernel may end a timed sleep so that it can batch wake-ups. The default, 50 µs, would
 * add up to that much to every park of a backing-off PMD; PMDs ask for
 * {@link dev.jvswitch.pmd.idle.PmdIdleStrategies#TIMER_SLACK_NS} in {@code onStart}.
 *
 * <p><b>Thread-safety:</b> stateless; each call affects only the calling thread.
 */
public final class TimerSlack {
    private static final int PR_SET_TIMERSLACK = 29;
    private static final int PR_GET_TIMERSLACK = 30;

    /** The libc call used here (five arguments: JNR-FFI 2.2 handles those). */
    public interface LibC {
        int prctl(int option, long arg2, long arg3, long arg4, long arg5);
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).failImmediately().load("c");
    }

    private TimerSlack() {
    }

    /** Sets the calling thread's timer slack; returns false if the kernel refused. */
    public static boolean setForCurrentThread(long ns) {
        return Holder.LIBC.prctl(PR_SET_TIMERSLACK, ns, 0, 0, 0) == 0;
    }

    /** The calling thread's timer slack in ns. */
    public static long currentThreadNs() {
        return Holder.LIBC.prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    }
}
