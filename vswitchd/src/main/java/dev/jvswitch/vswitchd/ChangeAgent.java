package dev.jvswitch.vswitchd;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jvswitch.vswitchd.control.ControlProtocol;
import dev.jvswitch.vswitchd.control.ControlServer;
import dev.jvswitch.vswitchd.run.ChangeExecutor;

/**
 * The change agent: carries out, one at a time and in the order they came, the requests that
 * change the switch and may take long (reload, {@code ofctl/*} edits: see
 * {@link dev.jvswitch.vswitchd.control.CommandKind}), so that the {@link ControlAgent} keeps
 * answering read-only commands, polling links and honouring SIGTERM meanwhile.
 *
 * <p><b>Queue.</b> The control agent submits through {@link #submit}; at most
 * {@value #MAX_QUEUED} changes are in flight (queued, running, or done but not yet answered).
 * The control agent refuses a change beyond that with a {@code busy} reply
 * ({@link ControlAgent}); below it, a change waits its turn behind the others.
 *
 * <p><b>Duty cycle</b> ({@link #doWork}): take one job, run it, post the response for the
 * control agent and wake it. When asked to stop, answer the jobs still queued with
 * "shutting down" and stop; the job running when the stop came finishes first (or is abandoned
 * by the shutdown, which waits for it only so long: {@link Jvswitchd}).
 *
 * <p><b>Tasks.</b> Other threads (the OpenFlow channel's event loop) hand it {@link #execute}
 * tasks: requests that read or change the tables, run here so that they are serialised with
 * every other change. At most {@value #MAX_TASKS} wait; {@code execute} refuses more and the
 * caller retries (it never blocks). Each duty cycle runs one job and one task, so neither kind
 * starves the other. A task that throws is counted and logged once per exception class.
 *
 * <p><b>Running a task in place.</b> {@link #runNowIfIdle} runs a task on the calling thread (the
 * event loop, for the requests of one read) when no job or task runs or waits here: the change
 * thread holds {@code turn} while it runs a job or a task, the caller takes it only if it is free,
 * so changes stay one at a time and in order. It spares the two wake-ups of a round trip through
 * this thread (to run the requests, and back to flush their replies), which a busy 2-CPU box
 * delays by milliseconds each.
 *
 * <p><b>Thread-safety:</b> {@link #doWork} runs on the change thread. {@link #submit},
 * {@link #drainDone} and {@link #inFlight} are the control thread's (the one-to-one queues have
 * one producer and one consumer each: offer is a release, poll an acquire, so a job's fields and
 * its response are seen whole). {@code tasks} is a many-to-one queue (any thread offers, the
 * change thread polls). {@code stopping}, {@code running} and {@code taskErrors} are volatile:
 * written by one thread, read by others.
 */
final class ChangeAgent implements Agent, ChangeExecutor {
    /** Changes in flight at most; more are refused as busy. */
    static final int MAX_QUEUED = 16;
    /** Tasks from other threads waiting at most; more are refused (the caller retries). */
    static final int MAX_TASKS = 1024;
    private static final Logger LOG = LoggerFactory.getLogger("jvswitchd");
    private static final long MAX_PARK_NS = TimeUnit.SECONDS.toNanos(1);

    /** A request to carry out; {@code exchange} is null when no client waits (SIGHUP). */
    record Job(String command, List<String> args, ControlServer.Exchange exchange) {
    }

    /** A job's response line, for its exchange. */
    record Done(ControlServer.Exchange exchange, String response) {
    }

    private final OneToOneConcurrentArrayQueue<Job> jobs = new OneToOneConcurrentArrayQueue<>(MAX_QUEUED);
    private final OneToOneConcurrentArrayQueue<Done> done = new OneToOneConcurrentArrayQueue<>(MAX_QUEUED);
    private final ManyToOneConcurrentArrayQueue<Runnable> tasks = new ManyToOneConcurrentArrayQueue<>(MAX_TASKS);
    private volatile long taskErrors;
    private Class<?> lastTaskError;
    private final Function<Job, String> runner;
    private final Runnable wakeControl;
    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile String running;
    private int inFlight;
    /** Held while a job or a task runs, on the change thread or in place ({@link #runNowIfIdle}). */
    private final ReentrantLock turn = new ReentrantLock();

    /**
     * @param runner      runs a job and returns its response line; must not throw
     * @param wakeControl wakes the control agent when a response is ready
     */
    ChangeAgent(Function<Job, String> runner, Runnable wakeControl) {
        this.runner = runner;
        this.wakeControl = wakeControl;
    }

    @Override
    public String roleName() {
        return "jvswitchd-change";
    }

    @Override
    public void onStart() {
        thread = Thread.currentThread();
    }

    @Override
    public int doWork() {
        if (stopping) {
            Job j;
            while ((j = jobs.poll()) != null) {
                post(new Done(j.exchange(), ControlProtocol.failure(j.command() + ": not run: jvswitchd is shutting down",
                        false)));
            }
            tasks.clear();
            throw new AgentTerminationException(true);
        }
        int work = 0;
        Job job = jobs.poll();
        if (job != null) {
            running = job.command();
            String response;
            turn.lock();
            try {
                response = runner.apply(job);
            } finally {
                turn.unlock();
                running = null;
            }
            post(new Done(job.exchange(), response));
            work++;
        }
        Runnable task = tasks.poll();
        if (task != null) {
            turn.lock();
            try {
                runTask(task);
            } finally {
                turn.unlock();
            }
            work++;
        }
        return work;
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            taskErrors++;
            if (e.getClass() != lastTaskError) {
                lastTaskError = e.getClass();
                LOG.warn("change task failed: {}", e.toString(), e);
            }
            if (e instanceof VirtualMachineError) {
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------ any thread

    /**
     * Runs {@code task} on the change thread, after the tasks given before it.
     *
     * @return false if {@value #MAX_TASKS} tasks wait already or the agent stops: nothing queued
     */
    @Override
    public boolean execute(Runnable task) {
        if (stopping || !tasks.offer(task)) {
            return false;
        }
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        return true;
    }

    /**
     * Runs {@code task} here and now if no job or task runs or waits on the change thread,
     * holding the change thread off until it returns (see <b>Running a task in place</b>).
     *
     * @return false, having run nothing, if something runs or waits, or the agent stops
     */
    @Override
    public boolean runNowIfIdle(Runnable task) {
        if (stopping || !jobs.isEmpty() || !tasks.isEmpty() || !turn.tryLock()) {
            return false;
        }
        try {
            // Checked again under the lock: a task queued meanwhile goes first.
            if (!tasks.isEmpty() || !jobs.isEmpty()) {
                return false;
            }
            runTask(task);
            return true;
        } finally {
            turn.unlock();
        }
    }

    /** Tasks that threw. */
    long taskErrors() {
        return taskErrors;
    }

    private void post(Done d) {
        // Cannot fail: the control agent keeps at most MAX_QUEUED jobs in flight (see submit).
        done.offer(d);
        wakeControl.run();
    }

    // ------------------------------------------------------------------ control thread

    /**
     * Queues {@code job} and wakes the change thread.
     *
     * @return false if {@value #MAX_QUEUED} changes are in flight already: nothing was queued
     */
    boolean submit(Job job) {
        if (inFlight >= MAX_QUEUED || !jobs.offer(job)) {
            return false;
        }
        inFlight++;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        return true;
    }

    /** Hands at most {@code limit} finished jobs to {@code consumer}; returns how many. */
    int drainDone(Consumer<Done> consumer, int limit) {
        int n = done.drain(consumer, limit);
        inFlight -= n;
        return n;
    }

    /** Changes queued, running, or done and not yet drained. */
    int inFlight() {
        return inFlight;
    }

    // ------------------------------------------------------------------ any thread

    /** Asks the agent to stop after the job it runs, if any; wakes it. */
    void requestStop() {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** The command running now, or null. */
    String running() {
        return running;
    }

    /**
     * The change thread's idle strategy: park until {@link #submit} or {@link #requestStop}
     * unparks it (at most a second, as a safety net). A permit given before the park makes it
     * return at once, so no job is slept through.
     */
    static final class ParkUntilWoken implements IdleStrategy {
        @Override
        public void idle(int workCount) {
            if (workCount <= 0) {
                idle();
            }
        }

        @Override
        public void idle() {
            LockSupport.parkNanos(this, MAX_PARK_NS);
        }

        @Override
        public void reset() {
        }

        @Override
        public String alias() {
            return "park-until-woken";
        }
    }
}
