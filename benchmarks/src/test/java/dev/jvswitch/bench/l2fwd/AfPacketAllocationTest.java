package dev.jvswitch.bench.l2fwd;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.sun.management.ThreadMXBean;

import dev.jvswitch.afpacket.AfPacketNetdev;
import dev.jvswitch.afpacket.NetnsPortTest;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Topology;

/**
 * The data path allocates nothing: frames circling between two ports on the two ends of one
 * veth (p1 sends them, p2 receives them and the forwarder sends them out of p1 again) go
 * through rx ring, copy, tx ring and kick over and over (in switch mode through the whole PMD
 * pipeline too), while the thread's allocated bytes stay flat.
 */
class AfPacketAllocationTest extends NetnsPortTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @ParameterizedTest
    @EnumSource(FwdMode.class)
    void forwardingAllocatesNothingOnceWarm(FwdMode mode) throws Exception {
        forwardAndMeasure(mode, Map.of());
    }

    /** The same over TPACKET_V3 rx rings (the default is V2). */
    @Test
    void forwardingOverV3RingsAllocatesNothingOnceWarm() throws Exception {
        forwardAndMeasure(FwdMode.IO, Map.of("rx-ring", "v3"));
    }

    private void forwardAndMeasure(FwdMode mode, Map<String, String> options) throws Exception {
        Topology.Veth v = topo.vethInRoot("l");
        AfPacketNetdev p1 = open("p1", v.root(), options);
        AfPacketNetdev p2 = open("p2", v.peer(), options);
        List<byte[]> frames = new ArrayList<>();
        for (int seq = 0; seq < 64; seq++) {
            frames.add(MarkedFrames.frame(64, seq));
        }
        try (Forwarder fwd = Forwarder.create(mode, p1, p2, pool, -1)) {
            fwd.onStart();
            try {
                assertThat(pmd.send(p1.txq(0), frames)).isEqualTo(frames.size());
                long tid = Thread.currentThread().getId();
                long rxBefore = runFor(fwd, 2_000_000_000L);
                long allocatedBefore = THREADS.getThreadAllocatedBytes(tid);
                long rx = runFor(fwd, 2_000_000_000L);
                long allocated = THREADS.getThreadAllocatedBytes(tid) - allocatedBefore;

                System.out.printf("%s %s: forwarded %d frames in 2 s (%.2f Mpps), allocated %d bytes%n", mode.label(),
                        options, rx, rx / 2e6, allocated);
                assertThat(rxBefore).as("frames forwarded while warming up; %s; %s", dump(p1), dump(p2))
                        .isGreaterThan(10_000);
                assertThat(rx).as("frames forwarded while measuring").isGreaterThan(10_000);
                assertThat(allocated).as("bytes allocated while forwarding %d frames", rx).isLessThan(1024);
            } finally {
                fwd.onClose();
            }
        }
        closeAndCheckNoLeaks();
    }

    /** Steps the forwarder (no idle strategy, no refresh) for {@code ns}; returns frames received. */
    private static long runFor(Forwarder fwd, long ns) {
        long received = 0;
        long end = System.nanoTime() + ns;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                received += fwd.doWork();
            }
        }
        return received;
    }
}
