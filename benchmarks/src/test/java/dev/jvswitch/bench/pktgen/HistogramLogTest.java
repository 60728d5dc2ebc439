package dev.jvswitch.bench.pktgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pktgen --histogram FILE}: a log HdrHistogram's own reader reads back whole. */
class HistogramLogTest {
    @Test
    void theLogReadsBackAsTheSameDistribution(@TempDir Path dir) throws Exception {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        for (long ns = 1_000; ns <= 1_000_000; ns += 1_000) {
            h.recordValue(ns);
        }
        h.recordValue(250_000_000L);
        Path file = dir.resolve("latency.hlog");
        PktgenCommand.writeHistogram(file, h);

        assertThat(Files.readString(file)).startsWith("#jvs-bench pktgen one-way latency, ns");
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
            EncodableHistogram read = reader.nextIntervalHistogram();
            assertThat(read).isInstanceOf(Histogram.class);
            Histogram back = (Histogram) read;
            assertThat(back.getTotalCount()).isEqualTo(1001);
            assertThat(back.getValueAtPercentile(50)).isEqualTo(h.getValueAtPercentile(50));
            assertThat(back.getValueAtPercentile(99.9)).isEqualTo(h.getValueAtPercentile(99.9));
            assertThat(back.getMaxValue()).isEqualTo(h.getMaxValue());
            assertThat(reader.nextIntervalHistogram()).isNull();
        }
    }
}
