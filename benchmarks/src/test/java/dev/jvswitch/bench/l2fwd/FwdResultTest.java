package dev.jvswitch.bench.l2fwd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The l2fwd {@code --json} line byte for byte (the contract L2FwdTest's pattern reads): captured
 * from the hand-written format before it moved onto the Jackson builder.
 */
class FwdResultTest {
    @Test
    void theJsonLineKeepsItsFieldsOrderAndOneDecimal() {
        assertThat(new FwdResult(FwdMode.IO, 10, 9, 1, 9_500, 1_000_000).toJson())
                .isEqualTo("{\"rxPackets\":10,\"txPackets\":9,\"dropped\":1,\"busyNsPerPacket\":950.0}");
        assertThat(new FwdResult(FwdMode.SWITCH, 3, 3, 0, 1_000, 1).toJson())
                .isEqualTo("{\"rxPackets\":3,\"txPackets\":3,\"dropped\":0,\"busyNsPerPacket\":333.3}");
        assertThat(new FwdResult(FwdMode.SWITCH, 0, 0, 0, 0, 0).toJson())
                .isEqualTo("{\"rxPackets\":0,\"txPackets\":0,\"dropped\":0,\"busyNsPerPacket\":0.0}");
        assertThat(new FwdResult(FwdMode.IO, 20_000_000_000L, 1, 0, 3_000_000_000_000L, 1).toJson())
                .isEqualTo("{\"rxPackets\":20000000000,\"txPackets\":1,\"dropped\":0,\"busyNsPerPacket\":150.0}");
        assertThat(new FwdResult(FwdMode.IO, 4, 4, 0, 1, 1).toJson())
                .as("half rounds up, as %.1f did").isEqualTo("{\"rxPackets\":4,\"txPackets\":4,\"dropped\":0,\"busyNsPerPacket\":0.3}");
    }
}
