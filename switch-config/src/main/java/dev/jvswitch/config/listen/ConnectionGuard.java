package dev.jvswitch.config.listen;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The rules every listening socket of the daemon follows, whatever its transport (the control
 * socket's selector today; the OpenFlow, metrics and OVSDB listeners later): how many clients it
 * serves at once, how long an idle client may hold a descriptor, and what happens when
 * {@code accept} fails. It holds no sockets itself: the listener tells it about each connection
 * (a handle of type {@code C}) and closes what it is told to.
 *
 * <p><b>Rules.</b>
 * <ol>
 *   <li>At most {@link Limits#maxClients} connections at once. A connection is <i>idle</i> while
 *       the daemon waits for it (to send its request, or to read its reply) and <i>busy</i> while
 *       the daemon works on its request. When a new client arrives and every slot is taken, the
 *       connection idle the longest is closed to make room (so a crowd of silent clients cannot
 *       lock an operator out); if every slot is busy, the newcomer is refused.</li>
 *   <li>An idle connection is closed after {@link Limits#idleTimeoutNs} without activity.</li>
 *   <li>A failed {@code accept} (typically the descriptor limit: EMFILE) never closes the
 *       listening socket. If an idle connection exists, the longest idle one is closed, which
 *       gives back a descriptor, and the listener retries at once; otherwise it stops accepting
 *       for {@value #ACCEPT_RETRY_MS} ms and tries again. A failure is logged at most once a
 *       minute, with the number of failures since the last report; all are counted.</li>
 * </ol>
 *
 * <p>Time comes in as {@code nowNs} from the caller's clock, so tests step it by hand.
 *
 * <p><b>Thread-safety:</b> not thread-safe; a listener's guard belongs to the thread that runs
 * the listener (for the control socket, the control thread).
 */
public final class ConnectionGuard<C> {
    /** How long accepting pauses after a failure with no idle connection to close. */
    public static final long ACCEPT_RETRY_MS = 100;
    /** Least time between two reports of failed accepts. */
    public static final long LOG_INTERVAL_MS = 60_000;
    private static final long ACCEPT_RETRY_NS = ACCEPT_RETRY_MS * 1_000_000L;
    private static final long LOG_INTERVAL_NS = LOG_INTERVAL_MS * 1_000_000L;

    /**
     * A listener's limits.
     *
     * @param maxClients    connections served at once
     * @param idleTimeoutNs longest an idle connection is kept
     * @param backlog       the listen backlog: connections the kernel queues before accept
     */
    public record Limits(int maxClients, long idleTimeoutNs, int backlog) {
        public Limits {
            if (maxClients < 1 || idleTimeoutNs < 1 || backlog < 1) {
                throw new IllegalArgumentException("limits must be positive: " + maxClients + ", " + idleTimeoutNs
                        + ", " + backlog);
            }
        }
    }

    /** What became of a new connection. */
    public enum Admission { ADMITTED, REFUSED }

    /** Where the guard's reports go (the listener's logger); called on the listener's thread. */
    @FunctionalInterface
    public interface Log {
        void warn(String message);
    }

    private final String name;
    private final Limits limits;
    private final Log log;
    /** Idle connections by time of last activity, oldest first (re-inserted on activity). */
    private final LinkedHashMap<C, Long> idle = new LinkedHashMap<>();
    private final Set<C> busy = new HashSet<>();
    private long acceptResumeNs;
    private boolean acceptPaused;
    private boolean reported;
    private long lastReportNs;
    private long unreported;
    private long accepted;
    private long refused;
    private long evicted;
    private long idleClosed;
    private long acceptFailures;

    /** @param name how logs name the listener, e.g. {@code control socket /run/jvswitch/jvswitchd.sock} */
    public ConnectionGuard(String name, Limits limits, Log log) {
        this.name = name;
        this.limits = limits;
        this.log = log;
    }

    public Limits limits() {
        return limits;
    }

    /**
     * A connection was just accepted. Admitted, it starts idle; to admit it when every slot is
     * taken, the longest idle connection is removed and handed to {@code close}.
     *
     * @return {@link Admission#REFUSED} when every slot is busy: the caller closes {@code c}
     */
    public Admission admit(C c, long nowNs, Consumer<C> close) {
        if (idle.size() + busy.size() >= limits.maxClients()) {
            C victim = eldestIdle();
            if (victim == null) {
                refused++;
                return Admission.REFUSED;
            }
            idle.remove(victim);
            evicted++;
            close.accept(victim);
        }
        accepted++;
        idle.put(c, nowNs);
        return Admission.ADMITTED;
    }

    /** Traffic on an idle connection: it becomes the most recently active. */
    public void touch(C c, long nowNs) {
        if (idle.remove(c) != null) {
            idle.put(c, nowNs);
        }
    }

    /** The daemon works on {@code c}'s request: neither timed out nor closed to make room meanwhile. */
    public void busy(C c) {
        if (idle.remove(c) != null) {
            busy.add(c);
        }
    }

    /** The daemon waits for {@code c} again (e.g. to read its reply), from {@code nowNs}. */
    public void idle(C c, long nowNs) {
        if (busy.remove(c)) {
            idle.put(c, nowNs);
        }
    }

    /** {@code c} is closed; forget it. */
    public void release(C c) {
        if (idle.remove(c) == null) {
            busy.remove(c);
        }
    }

    /** Hands every connection idle for the idle timeout or longer to {@code close}; returns how many. */
    public int expire(long nowNs, Consumer<C> close) {
        int n = 0;
        Iterator<Map.Entry<C, Long>> it = idle.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<C, Long> e = it.next();
            if (nowNs - e.getValue() < limits.idleTimeoutNs()) {
                break;
            }
            it.remove();
            idleClosed++;
            n++;
            close.accept(e.getKey());
        }
        return n;
    }

    /**
     * {@code accept} failed with {@code error}. Frees a descriptor by closing the longest idle
     * connection if there is one, else pauses accepting for {@value #ACCEPT_RETRY_MS} ms.
     *
     * @return true if the caller may retry at once
     */
    public boolean onAcceptFailed(Exception error, long nowNs, Consumer<C> close) {
        acceptFailures++;
        unreported++;
        if (!reported || nowNs - lastReportNs >= LOG_INTERVAL_NS) {
            log.warn(name + ": accept failed (" + error.getMessage() + ")" + (reported ? ", " + unreported
                    + " time(s) since the last report" : "") + "; still listening, " + connections() + " client(s)"
                    + " connected; closing idle clients and retrying every " + ACCEPT_RETRY_MS + " ms");
            reported = true;
            lastReportNs = nowNs;
            unreported = 0;
        }
        C victim = eldestIdle();
        if (victim != null) {
            idle.remove(victim);
            evicted++;
            close.accept(victim);
            return true;
        }
        acceptPaused = true;
        acceptResumeNs = nowNs + ACCEPT_RETRY_NS;
        return false;
    }

    /** Whether the listener should call accept now (false while paused after a failure). */
    public boolean mayAccept(long nowNs) {
        if (acceptPaused && nowNs - acceptResumeNs >= 0) {
            acceptPaused = false;
        }
        return !acceptPaused;
    }

    /**
     * When the guard next needs the listener's attention (an idle connection to time out, accepting
     * to resume), or {@code Long.MAX_VALUE}.
     */
    public long nextDeadlineNs() {
        long next = Long.MAX_VALUE;
        if (!idle.isEmpty()) {
            next = idle.values().iterator().next() + limits.idleTimeoutNs();
        }
        if (acceptPaused) {
            next = Math.min(next, acceptResumeNs);
        }
        return next;
    }

    /** Connections now, idle and busy. */
    public int connections() {
        return idle.size() + busy.size();
    }

    /** Counters, by name without prefix: accepted, refused, evicted, idle_closed, accept_failed. */
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("accepted", accepted);
        c.put("refused", refused);
        c.put("evicted", evicted);
        c.put("idle_closed", idleClosed);
        c.put("accept_failed", acceptFailures);
        return c;
    }

    private C eldestIdle() {
        return idle.isEmpty() ? null : idle.keySet().iterator().next();
    }
}
