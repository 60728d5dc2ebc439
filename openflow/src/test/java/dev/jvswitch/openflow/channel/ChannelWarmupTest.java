package dev.jvswitch.openflow.channel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up takes the whole OVN table through the decoder and into a scratch bridge:
 * every flow decodes and commits (a flow it lost would leave its path cold, and a refusal would
 * mean the warm-up took a path a real bundle does not), and a pass stops at its budget.
 */
class ChannelWarmupTest {
    @Test
    void theWholeOvnTableDecodesAndCommitsIntoAScratchBridge() throws Exception {
        ChannelWarmup.Result r = ChannelWarmup.run(2, 60_000);
        assertThat(r.flows()).isEqualTo(434);
        assertThat(r.decoded()).isEqualTo(434);
        assertThat(r.committed()).isEqualTo(434);
        assertThat(r.passes()).isEqualTo(2);
    }

    @Test
    void aSpentBudgetStopsBeforeTheNextPass() throws Exception {
        assertThat(ChannelWarmup.run(5, 0).passes()).isZero();
    }
}
