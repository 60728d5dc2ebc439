package dev.jvswitch.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The arithmetic and argument handling of {@code pipeline --repeat N} (the runs themselves fork JVMs). */
class PipelineRepeatTest {
    @Test
    void spreadOfAnOddAndAnEvenSeries() {
        double[] odd = {14.3, 8.3, 14.1, 14.5, 13.9};
        assertThat(PipelineRepeat.median(odd)).isEqualTo(14.1);
        assertThat(PipelineRepeat.min(odd)).isEqualTo(8.3);
        assertThat(PipelineRepeat.max(odd)).isEqualTo(14.5);
        assertThat(PipelineRepeat.medianIndex(odd)).isEqualTo(2);

        double[] even = {4.0, 1.0, 3.0, 2.0};
        assertThat(PipelineRepeat.median(even)).isEqualTo(2.5);
        // The JSON reports a run that exists: the lower of the two middle ones.
        assertThat(PipelineRepeat.medianIndex(even)).isEqualTo(3);
    }

    @Test
    void readsNumbersOfARunsJsonLine() {
        String doc = "{\"mpps\":14.1535,\"nsPerPacket\":70.6540,\"cpuNsPerPacket\":70.3533,"
                + "\"heapBytesPerPacket\":2.14778e-06,\"megaflowsMax\":1000}";
        assertThat(PipelineRepeat.number(doc, "mpps")).isEqualTo(14.1535);
        assertThat(PipelineRepeat.number(doc, "cpuNsPerPacket")).isEqualTo(70.3533);
        assertThat(PipelineRepeat.number(doc, "heapBytesPerPacket")).isEqualTo(2.14778e-06);
        assertThat(PipelineRepeat.number(doc, "warmupSeconds")).isNaN();
    }

    @Test
    void eachRunGetsTheCommandWithoutRepeat() {
        assertThat(PipelineCommand.withoutRepeat(new String[] {"--pcap", "a.pcap", "--repeat", "5", "--json"}))
                .containsExactly("--pcap", "a.pcap", "--json");
        assertThat(PipelineCommand.withoutRepeat(new String[] {"--repeat=3", "--seconds", "2"}))
                .containsExactly("--seconds", "2");
    }
}
