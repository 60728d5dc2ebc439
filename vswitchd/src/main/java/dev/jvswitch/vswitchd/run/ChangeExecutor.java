package dev.jvswitch.vswitchd.run;

/**
 * Where the OpenFlow channel's requests run: the daemon's change thread, one at a time with every
 * other change to the switch.
 *
 * <p>{@link #runNowIfIdle} lets the channel's event loop run a read's requests itself when the
 * change thread has nothing to do, instead of waking that thread and being woken again to flush
 * the replies: on a box whose CPUs are busy (ovn-controller recomputing its flows while a port
 * comes up) each of those two wake-ups measured 3-14 ms, and a controller waiting for a barrier
 * reply waits for both.
 */
@FunctionalInterface
public interface ChangeExecutor {
    /**
     * Queues {@code task} for the change thread, behind everything queued before it.
     *
     * @return false (nothing queued) when the queue is full: the caller retries later
     */
    boolean execute(Runnable task);

    /**
     * Runs {@code task} on the calling thread now, excluding the change thread meanwhile, if
     * nothing runs or waits on the change thread; otherwise runs nothing.
     *
     * @return whether {@code task} ran
     */
    default boolean runNowIfIdle(Runnable task) {
        return false;
    }
}
