package dev.jvswitch.openflow.channel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up takes the whole OVN table through a connection's handlers and into a
 * scratch bridge, then takes some of its flows out and puts them back: every flow commits (a flow it lost would leave its path cold, and a refusal would
 * mean the warm-up took a path a real bundle does not), the connection answers every request with
 * no error, and a pass stops at its budget.
 */
class ChannelWarmupTest {
    @Test
    void theWholeOvnTableAndItsChangesGoThroughAConnectionIntoAScratchBridge() throws Exception {
        ChannelWarmup.Result r = ChannelWarmup.run(7, 60_000);
        assertThat(r.flows()).isEqualTo(442);
        assertThat(r.committed()).isEqualTo(442);
        assertThat(r.decoded()).isEqualTo(442);
        // HELLO, features, TLV table and echo replies (the TLV map's add and the CT flushes have
        // none); then per bundle (the table, 12 changes) open, commit and barrier replies: no error
        // among them.
        assertThat(r.replies()).isEqualTo(4 + 3 * 13);
        assertThat(r.passes()).isEqualTo(7);
    }

    @Test
    void aSpentBudgetStopsBeforeTheNextPass() throws Exception {
        assertThat(ChannelWarmup.run(5, 0).passes()).isZero();
    }
}
