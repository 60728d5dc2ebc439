package dev.jvswitch.ofproto.revalidate;

import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.NanoClock;

import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.testing.DatapathHarness;
import dev.jvswitch.pmd.upcall.UpcallHandler;

/**
 * pmd-core's {@link DatapathHarness} as the revalidator tests build it: the clock is theirs (the
 * slow path under test shares it), so a test that starts PMD threads passes a real one.
 */
final class RevalHarness extends DatapathHarness {
    /** A test clock at 1 s, for a harness and the slow path that shares its clock. */
    static CachedNanoClock newClock() {
        return newTestClock();
    }

    RevalHarness(NanoClock clock, DatapathConfig config, UpcallHandler handler, int ports) {
        super(builder(config, handler).clock(clock).ports(ports));
    }

    RevalHarness(NanoClock clock, DatapathConfig config, UpcallHandler handler, int ports, int ringSize,
                 int mbufs) {
        super(builder(config, handler).clock(clock).ports(ports).ringSize(ringSize).mbufs(mbufs));
    }
}
