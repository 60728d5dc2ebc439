package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatapathWarmupTest {
    /**
     * Every round's frames take the whole path: the ARP request is answered by the table (back on
     * the VIF through the loopback output), the echo and the SYN go through conntrack and are
     * pushed onto the underlay (once the first round's next-hop request was answered), and the
     * remote's replies are popped, tracked again and delivered to the VIF.
     */
    @Test
    void framesCrossConntrackAndTheTunnelBothWays() throws Exception {
        DatapathWarmup.Result r = DatapathWarmup.run(20, 30_000);

        assertThat(r.rounds()).isEqualTo(20);
        // Round 1: ARP request for the endpoint, no push; then echo and SYN pushed each round.
        assertThat(r.underlayFrames()).isGreaterThanOrEqualTo(1 + 2 * 19);
        // ARP reply each round; echo reply and SYN-ACK popped each round but the first.
        assertThat(r.vifFrames()).isGreaterThanOrEqualTo(20 + 2 * 19);
    }

    @Test
    void stopsAtItsBudget() throws Exception {
        DatapathWarmup.Result r = DatapathWarmup.run(1_000_000, 0);

        assertThat(r.rounds()).isZero();
    }
}
