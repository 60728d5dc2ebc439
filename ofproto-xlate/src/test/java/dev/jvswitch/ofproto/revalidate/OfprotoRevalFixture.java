package dev.jvswitch.ofproto.revalidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.OfprotoRevalidation;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.tnl.TunnelOutput;
import dev.jvswitch.ofproto.xlate.PortLiveness;
import dev.jvswitch.pmd.DatapathConfig;

/**
 * What the tests of revalidation with the real slow path share: an {@link Ofproto} with bridge
 * {@link #BR} of three ports (OpenFlow port N is datapath port N) translating the upcalls of a
 * {@link RevalHarness} datapath, and a {@link RevalidatorPool} of two threads over
 * {@link OfprotoRevalidation}; the datapath and the ofproto run on one test clock, and cycles are
 * stepped by hand.
 */
abstract class OfprotoRevalFixture {
    static final String BR = "br0";

    CachedNanoClock clock;
    Ofproto ofproto;
    RevalHarness h;
    RevalidatorPool pool;

    @BeforeEach
    void startOfprotoAndDatapath() {
        clock = RevalHarness.newClock();
        ofproto = new Ofproto(clock::nanoTime, PortLiveness.ALL_LIVE, TunnelOutput.NONE);
        ofproto.addBridge(new BridgeConfig(BR, List.of(OfPort.trunk(1, 1, "p1"), OfPort.trunk(2, 2, "p2"),
                OfPort.trunk(3, 3, "p3"))));
        h = new RevalHarness(clock, DatapathConfig.defaults(), ofproto.upcallHandler(), 3);
        pool = new RevalidatorPool(h.dp, new OfprotoRevalidation(ofproto), RevalidatorConfig.defaults().withThreads(2),
                clock);
    }

    @AfterEach
    void stopOfprotoAndDatapath() {
        pool.close();
        h.close();
    }

    /** Waits until the revalidators have covered the tables as they are now. */
    void revalidate() {
        assertThat(pool.awaitRevalidated(ofproto.revalSeq(), Duration.ofSeconds(10))).isTrue();
    }
}
