package dev.jvswitch.afpacket;

import org.junit.jupiter.api.Tag;

/** The port contract for AF_PACKET with TPACKET_V3 rx rings ({@code rx-ring: v3}). */
@Tag("netns")
class AfPacketV3ContractTest extends AfPacketContractTest {

    @Override
    protected String rxRing() {
        return "v3";
    }
}
