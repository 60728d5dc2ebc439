package dev.jvswitch.pmd.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PcapImageTest {
    @TempDir
    Path dir;

    @Test
    void framesAreIndexedInPlace() throws IOException {
        byte[] a = PcapBytes.frame(60, 1);
        byte[] b = PcapBytes.frame(1514, 2);
        byte[] c = PcapBytes.frame(0, 3);
        Path file = PcapBytes.micros(ByteOrder.BIG_ENDIAN).record(1, 0, a).record(2, 0, b).record(3, 0, c)
                .writeTo(dir.resolve("three.pcap"));
        try (PcapImage image = PcapImage.load(file)) {
            assertThat(image.fileName()).isEqualTo(file.toString());
            assertThat(image.frameCount()).isEqualTo(3);
            assertThat(image.frameOffset(0)).isEqualTo(24 + 16);
            assertThat(image.frameOffset(1)).isEqualTo(24 + 16 + 60 + 16);
            assertThat(image.frameLength(0)).isEqualTo(60);
            assertThat(image.frameLength(1)).isEqualTo(1514);
            assertThat(image.frameLength(2)).isZero();
            assertThat(image.maxFrameLength()).isEqualTo(1514);
            assertThat(image.frameBytes()).isEqualTo(60 + 1514);
            assertThat(bytesAt(image, 0)).isEqualTo(a);
            assertThat(bytesAt(image, 1)).isEqualTo(b);
            byte[] viaAddress = new byte[1514];
            new UnsafeBuffer(image.frameAddress(1), 1514).getBytes(0, viaAddress);
            assertThat(viaAddress).isEqualTo(b);
        }
    }

    @Test
    void headerOnlyCaptureHasNoFrames() throws IOException {
        Path file = PcapBytes.nanos(ByteOrder.LITTLE_ENDIAN).writeTo(dir.resolve("empty.pcap"));
        try (PcapImage image = PcapImage.load(file)) {
            assertThat(image.frameCount()).isZero();
            assertThat(image.maxFrameLength()).isZero();
        }
    }

    @Test
    void closeIsIdempotent() throws IOException {
        Path file = PcapBytes.nanos(ByteOrder.LITTLE_ENDIAN).record(0, 0, PcapBytes.frame(64, 0)).writeTo(dir.resolve("c.pcap"));
        PcapImage image = PcapImage.load(file);
        image.close();
        image.close();
    }

    @Property(tries = 40)
    void writerReaderAndImageAgreeOnAnyFrames(@ForAll("frames") List<byte[]> frames, @ForAll boolean nanos,
            @ForAll boolean bigEndian) throws IOException {
        Path file = Files.createTempFile("jvs-prop", ".pcap");
        try {
            ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            try (PcapWriter w = PcapWriter.open(file, PcapFormat.MAX_SNAPLEN, nanos, order)) {
                for (int i = 0; i < frames.size(); i++) {
                    w.write(frames.get(i), 0, frames.get(i).length, 1_000_000_000L * i + i);
                }
            }
            List<byte[]> streamed = PcapReader.readAll(file);
            assertThat(streamed).containsExactlyElementsOf(frames);
            List<byte[]> mapped = new ArrayList<>();
            try (PcapImage image = PcapImage.load(file)) {
                for (int i = 0; i < image.frameCount(); i++) {
                    mapped.add(bytesAt(image, i));
                }
            }
            assertThat(mapped).containsExactlyElementsOf(frames);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Provide
    Arbitrary<List<byte[]>> frames() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(3000).list().ofMaxSize(40);
    }

    private static byte[] bytesAt(PcapImage image, int i) {
        byte[] out = new byte[image.frameLength(i)];
        image.buffer().getBytes(image.frameOffset(i), out);
        return out;
    }
}
