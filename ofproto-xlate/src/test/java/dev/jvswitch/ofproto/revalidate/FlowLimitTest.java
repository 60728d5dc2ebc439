package dev.jvswitch.ofproto.revalidate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The dynamic flow limit arithmetic (OVS's udpif_revalidator) and the revalidator config. */
class FlowLimitTest {

    @Test
    void aDumpOverTwoSecondsDividesTheLimitByItsWholeSeconds() {
        assertThat(FlowLimit.next(200_000, 200_000, 2_001, 150_000)).isEqualTo(100_000);
        assertThat(FlowLimit.next(200_000, 200_000, 4_500, 150_000)).isEqualTo(50_000);
        assertThat(FlowLimit.next(90_000, 200_000, 10_000, 90_000)).isEqualTo(9_000);
    }

    @Test
    void aDumpOverOnePointThreeSecondsTakesThreeQuarters() {
        assertThat(FlowLimit.next(200_000, 200_000, 1_301, 150_000)).isEqualTo(150_000);
        assertThat(FlowLimit.next(100_000, 200_000, 2_000, 10)).isEqualTo(75_000);
    }

    @Test
    void aFastDumpOfAFullDatapathRaisesTheLimitByOneThousand() {
        // 50 000 flows in 10 ms is 5 000 000 flows/s, more than the limit of 100 000.
        assertThat(FlowLimit.next(100_000, 200_000, 10, 50_000)).isEqualTo(101_000);
        // Never above the configured ceiling.
        assertThat(FlowLimit.next(199_500, 200_000, 10, 150_000)).isEqualTo(200_000);
    }

    @Test
    void aFastDumpOfFewFlowsOrABetweenDumpLeavesTheLimit() {
        // 10 flows in 1 ms is 10 000 flows/s: below the limit, nothing to gain.
        assertThat(FlowLimit.next(100_000, 200_000, 1, 10)).isEqualTo(100_000);
        // Between 1 s and 1.3 s: no change either way.
        assertThat(FlowLimit.next(100_000, 200_000, 1_200, 190_000)).isEqualTo(100_000);
    }

    @Test
    void theLimitStaysAtLeastOneThousandUnlessTheCeilingIsLower() {
        assertThat(FlowLimit.next(1_500, 200_000, 60_000, 1_500)).isEqualTo(1_000);
        assertThat(FlowLimit.next(500, 500, 60_000, 500)).isEqualTo(500);
        assertThat(FlowLimit.next(500, 500, 1, 100_000)).isEqualTo(500);
    }

    @Test
    void overTheLimitMaxIdleDropsToOneHundredAndOverTwiceEveryFlowGoes() {
        assertThat(FlowLimit.maxIdleMs(10_000, 1_000, 1_000)).isEqualTo(10_000);
        assertThat(FlowLimit.maxIdleMs(10_000, 1_001, 1_000)).isEqualTo(100);
        assertThat(FlowLimit.maxIdleMs(50, 1_001, 1_000)).isEqualTo(50);
        assertThat(FlowLimit.killAll(2_000, 1_000)).isFalse();
        assertThat(FlowLimit.killAll(2_001, 1_000)).isTrue();
    }

    @Test
    void defaultThreadsAreAQuarterOfTheCpusPlusOneCapped() {
        assertThat(RevalidatorConfig.defaultThreads(1)).isEqualTo(1);
        assertThat(RevalidatorConfig.defaultThreads(2)).isEqualTo(1);
        assertThat(RevalidatorConfig.defaultThreads(8)).isEqualTo(3);
        assertThat(RevalidatorConfig.defaultThreads(64)).isEqualTo(8);
        RevalidatorConfig d = RevalidatorConfig.defaults();
        assertThat(d.maxIdleMs()).isEqualTo(10_000);
        assertThat(d.flowLimit()).isEqualTo(200_000);
        assertThat(d.intervalMs()).isEqualTo(500);
        assertThat(d.withMaxIdleMs(200).intervalMs()).isEqualTo(200);
    }

    @Test
    void badConfigNamesTheKey() {
        RevalidatorConfig d = RevalidatorConfig.defaults();
        assertThatThrownBy(() -> d.withThreads(0))
                .hasMessage("n-revalidator-threads must be within 1..64, got 0");
        assertThatThrownBy(() -> d.withMaxIdleMs(0)).hasMessage("max-idle must be at least 1 ms, got 0");
        assertThatThrownBy(() -> d.withFlowLimit(0)).hasMessage("flow-limit must be at least 1, got 0");
    }
}
