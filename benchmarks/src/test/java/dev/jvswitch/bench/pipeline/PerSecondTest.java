package dev.jvswitch.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PerSecondTest {
    @Test
    void eachSliceIsItsOwnCpuTimeOverItsPackets() {
        PerSecond s = new PerSecond(2);
        s.record(1_000, 40_000);
        s.record(2_000, 170_000);
        assertThat(s.slices()).isEqualTo(2);
        assertThat(s.cpuNsPerPacket(0)).isEqualTo(40.0);
        assertThat(s.cpuNsPerPacket(1)).isEqualTo(85.0);
        assertThat(s.toJson()).isEqualTo("[40.0,85.0]");
        assertThat(s.toText()).isEqualTo(
                "  per second:         40.0 to 85.0 ns of PMD CPU time per packet over 2 slices");
    }

    @Test
    void sliceWithoutPacketsIsNullAndExtraSlicesFoldIntoTheLast() {
        PerSecond s = new PerSecond(0.5);
        s.record(0, 1_000);
        s.record(100, 5_000);
        s.record(100, 3_000);
        assertThat(s.slices()).isEqualTo(2);
        assertThat(s.toJson()).isEqualTo("[null,40.0]");
    }
}
