package dev.jvswitch.vswitchd.vlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.stats.DropReason;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.upcall.PortMapUpcallHandler;

/**
 * Counters growing on a (not running) PMD become rate-limited warnings in OVS's modules: a burst,
 * then silence with a count, then one line that reports the dropped ones.
 */
class PacketEventLogTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private final ListAppender<ILoggingEvent> vport = new ListAppender<>();
    private final ListAppender<ILoggingEvent> upcall = new ListAppender<>();
    private MbufPool pool;
    private Datapath dp;

    @BeforeEach
    void setUp() {
        vport.start();
        upcall.start();
        ((Logger) LoggerFactory.getLogger("netdev_vport")).addAppender(vport);
        ((Logger) LoggerFactory.getLogger("ofproto_dpif_upcall")).addAppender(upcall);
        pool = MbufPool.create(MbufPoolConfig.of("events-test", 256));
        dp = new Datapath(DatapathConfig.defaults(), pool, new PortMapUpcallHandler(java.util.Map.of()));
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger("netdev_vport")).detachAppender(vport);
        ((Logger) LoggerFactory.getLogger("ofproto_dpif_upcall")).detachAppender(upcall);
        Vlog.current().rateLimit(List.of(), true);
        dp.close();
    }

    @Test
    void aFloodIsABurstOfLinesThenOneLineThatCountsTheRest() {
        PacketEventLog events = new PacketEventLog(dp, Vlog.current());
        long t = 100 * S;
        events.onTick(t); // baseline
        for (int sec = 1; sec <= 60; sec++) {
            for (int i = 0; i < 1000; i++) {
                dp.pmd(0).stats().countDrop(DropReason.TUNNEL_MALFORMED);
            }
            dp.pmd(0).stats().add(PmdCounter.UPCALL_FAILED, 3);
            events.onTick(t + sec * S);
        }
        // 60 seconds of events: a burst of 10, then 5 a minute.
        assertThat(vport.list).hasSizeBetween(PacketEventLog.BURST, PacketEventLog.BURST + 6 * 2);
        assertThat(vport.list.get(0).getFormattedMessage())
                .isEqualTo("pmd 0: 1000 packet(s) in the last 1000 ms: dropped: malformed tunnel packet"
                        + " (tunnel_pop_malformed)");
        assertThat(vport.list).anyMatch(e -> e.getFormattedMessage().startsWith("Dropped "));
        assertThat(upcall.list.get(0).getFormattedMessage())
                .isEqualTo("pmd 0: 3 in the last 1000 ms: miss with failed upcall (upcall_failed)");
        // Nothing grows: nothing is logged.
        int before = vport.list.size();
        events.onTick(t + 61 * S);
        events.onTick(t + 200 * S);
        assertThat(vport.list).hasSize(before);
    }

    @Test
    void withoutRateLimitEveryPeriodLogsAndActionDropsNever() {
        Vlog.current().rateLimit(List.of("netdev_vport"), false);
        PacketEventLog events = new PacketEventLog(dp, Vlog.current());
        events.onTick(0);
        for (int sec = 1; sec <= 30; sec++) {
            dp.pmd(0).stats().countDrop(DropReason.TUNNEL_BAD_CSUM);
            dp.pmd(0).stats().countDrop(DropReason.ACTION);
            events.onTick(sec * S);
        }
        assertThat(vport.list).hasSize(30);
        assertThat(upcall.list).isEmpty();
    }
}
