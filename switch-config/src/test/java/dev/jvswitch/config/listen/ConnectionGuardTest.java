package dev.jvswitch.config.listen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The listener rules with a hand-stepped clock: the cap makes room by closing the longest idle
 * client and refuses only when every client is busy; idle clients time out, busy ones never do;
 * a failed accept closes an idle client to free a descriptor, or pauses accepting, and is logged
 * at most once a minute.
 */
class ConnectionGuardTest {
    private static final long MS = 1_000_000L;
    private final List<String> logged = new ArrayList<>();
    private final List<String> closed = new ArrayList<>();
    private final ConnectionGuard<String> guard = new ConnectionGuard<>("test listener",
            new ConnectionGuard.Limits(3, 1_000 * MS, 16), logged::add);

    @Test
    void aFullListenerClosesItsLongestIdleClientToAdmitANewOne() {
        assertThat(guard.admit("a", 0, closed::add)).isEqualTo(ConnectionGuard.Admission.ADMITTED);
        assertThat(guard.admit("b", 10 * MS, closed::add)).isEqualTo(ConnectionGuard.Admission.ADMITTED);
        assertThat(guard.admit("c", 20 * MS, closed::add)).isEqualTo(ConnectionGuard.Admission.ADMITTED);
        guard.touch("a", 30 * MS); // a is now the most recently active
        assertThat(guard.admit("d", 40 * MS, closed::add)).isEqualTo(ConnectionGuard.Admission.ADMITTED);
        assertThat(closed).containsExactly("b");
        assertThat(guard.connections()).isEqualTo(3);
        assertThat(guard.counters()).containsEntry("accepted", 4L).containsEntry("evicted", 1L);
    }

    @Test
    void busyClientsAreNeitherEvictedNorTimedOutAndAFullBusyListenerRefuses() {
        guard.admit("a", 0, closed::add);
        guard.admit("b", 0, closed::add);
        guard.admit("c", 0, closed::add);
        guard.busy("a");
        guard.busy("b");
        guard.busy("c");
        assertThat(guard.admit("d", 1 * MS, closed::add)).isEqualTo(ConnectionGuard.Admission.REFUSED);
        assertThat(guard.expire(10_000 * MS, closed::add)).isZero();
        assertThat(closed).isEmpty();
        assertThat(guard.counters()).containsEntry("refused", 1L);
        // Answered: waiting for the client to read, it is idle again, from then.
        guard.idle("a", 10_000 * MS);
        assertThat(guard.expire(10_999 * MS, closed::add)).isZero();
        assertThat(guard.nextDeadlineNs()).isEqualTo(11_000 * MS);
        assertThat(guard.expire(11_000 * MS, closed::add)).isEqualTo(1);
        assertThat(closed).containsExactly("a");
        guard.release("b");
        assertThat(guard.connections()).isEqualTo(1);
    }

    @Test
    void idleClientsTimeOutInOrder() {
        guard.admit("a", 0, closed::add);
        guard.admit("b", 500 * MS, closed::add);
        assertThat(guard.expire(999 * MS, closed::add)).isZero();
        assertThat(guard.expire(1_200 * MS, closed::add)).isEqualTo(1);
        assertThat(closed).containsExactly("a");
        assertThat(guard.expire(1_500 * MS, closed::add)).isEqualTo(1);
        assertThat(guard.counters()).containsEntry("idle_closed", 2L);
        assertThat(guard.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aFailedAcceptFreesADescriptorOrPausesAndIsLoggedAtMostOnceAMinute() {
        IOException emfile = new IOException("Too many open files");
        guard.admit("a", 0, closed::add);
        assertThat(guard.onAcceptFailed(emfile, 1 * MS, closed::add)).isTrue(); // closed a: retry at once
        assertThat(closed).containsExactly("a");
        assertThat(guard.onAcceptFailed(emfile, 2 * MS, closed::add)).isFalse(); // nothing left to close
        assertThat(guard.mayAccept(2 * MS)).isFalse();
        assertThat(guard.nextDeadlineNs()).isEqualTo(2 * MS + ConnectionGuard.ACCEPT_RETRY_MS * MS);
        assertThat(guard.mayAccept(2 * MS + ConnectionGuard.ACCEPT_RETRY_MS * MS)).isTrue();
        guard.admit("b", 200 * MS, closed::add);
        assertThat(guard.onAcceptFailed(emfile, 300 * MS, closed::add)).isTrue(); // closed b
        assertThat(logged).containsExactly("test listener: accept failed (Too many open files); still listening, 1 "
                + "client(s) connected; closing idle clients and retrying every 100 ms");
        // A minute after the report: the next failure is reported, with the count since.
        assertThat(guard.onAcceptFailed(emfile, 1 * MS + ConnectionGuard.LOG_INTERVAL_MS * MS, closed::add)).isFalse();
        assertThat(logged).hasSize(2).last().isEqualTo("test listener: accept failed (Too many open files), 3 time(s)"
                + " since the last report; still listening, 0 client(s) connected; closing idle clients and retrying"
                + " every 100 ms");
        assertThat(guard.counters()).containsEntry("accept_failed", 4L);
    }
}
