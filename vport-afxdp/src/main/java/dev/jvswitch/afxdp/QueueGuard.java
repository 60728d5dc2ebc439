package dev.jvswitch.afxdp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Who may use a queue's socket right now: the PMD, for one {@code recv} or {@code send}, or the
 * control thread, while it replaces or retires the socket or takes in an idle queue's
 * completions. The PMD tries once per call (one uncontended compare-and-set) and, when the control
 * thread holds the queue, receives nothing or drops the batch as link-down: it never waits. The
 * control thread waits a bounded time for a call in progress to end.
 *
 * <p><b>Thread-safety:</b> {@link #tryEnter} is a compare-and-set (acquire), {@link #exit} a
 * release store: whatever one holder wrote is seen by the next, so the socket fields a guard
 * covers are plain fields.
 */
final class QueueGuard {
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(QueueGuard.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through STATE
    private int state;

    /** Takes the guard if it is free; never waits. */
    boolean tryEnter() {
        return STATE.compareAndSet(this, 0, 1);
    }

    /** Takes the guard, waiting at most {@code nanos} for its holder (spins, then yields). */
    boolean enterWithin(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (int spin = 0; !tryEnter(); spin++) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            if (spin < 1000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        return true;
    }

    void exit() {
        STATE.setRelease(this, 0);
    }
}
