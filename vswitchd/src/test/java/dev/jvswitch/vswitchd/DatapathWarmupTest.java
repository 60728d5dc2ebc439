package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatapathWarmupTest {
    /**
     * Every round's frames take the whole path: the ARP request is answered by the table (back on
     * the VIF through the loopback output), the echo and the SYN go through conntrack and are
     * pushed onto the underlay, and the remote's replies are popped, tracked again and delivered
     * to the VIF. In round 0 and every odd round the next hop is unknown: the echo's upcall sends
     * the ARP request and holds the echo and the SYN, which leave pushed with the reply's upcall.
     */
    @Test
    void framesCrossConntrackAndTheTunnelBothWays() throws Exception {
        DatapathWarmup.Result r = DatapathWarmup.run(20, 30_000);

        assertThat(r.rounds()).isEqualTo(20);
        // Round 0: the endpoint's gratuitous ARP, the ARP request, the echo (the SYN, in the
        // echo's batch, met the drop megaflow the echo's miss had just installed: lost, as in
        // OVS); rounds 1, 3, ..., 19 (10): ARP request, echo, SYN; rounds 2, 4, ..., 18 (9): echo, SYN.
        assertThat(r.underlayFrames()).isEqualTo(3 + 10 * 3 + 9 * 2);
        // ARP reply, echo reply, SYN-ACK each round (round 0 no SYN-ACK): the held frames arrive.
        assertThat(r.vifFrames()).isEqualTo(2 + 19 * 3);
    }

    @Test
    void stopsAtItsBudget() throws Exception {
        DatapathWarmup.Result r = DatapathWarmup.run(1_000_000, 0);

        assertThat(r.rounds()).isZero();
    }
}
