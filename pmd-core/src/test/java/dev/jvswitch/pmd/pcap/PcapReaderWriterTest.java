package dev.jvswitch.pmd.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PcapReaderWriterTest {
    @TempDir
    Path dir;

    private record Frame(byte[] bytes, int original, long timestampNanos) {
    }

    private static List<Frame> readFrames(Path file) throws IOException {
        List<Frame> frames = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(file)) {
            reader.forEach((buffer, offset, captured, original, ts) -> {
                byte[] bytes = new byte[captured];
                buffer.getBytes(offset, bytes);
                frames.add(new Frame(bytes, original, ts));
            });
        }
        return frames;
    }

    @ParameterizedTest(name = "nanos={0} order={1}")
    @CsvSource({"true, LITTLE_ENDIAN", "true, BIG_ENDIAN", "false, LITTLE_ENDIAN", "false, BIG_ENDIAN"})
    void writerAndReaderRoundTrip(boolean nanos, String orderName) throws IOException {
        ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Path file = dir.resolve("rt.pcap");
        long t0 = 1_700_000_000_123_456_789L;
        try (PcapWriter w = PcapWriter.open(file, 65535, nanos, order)) {
            for (int i = 0; i < 100; i++) {
                byte[] f = PcapBytes.frame(60 + i * 14, i);
                w.write(f, 0, f.length, t0 + i * 1_001L);
            }
            assertThat(w.framesWritten()).isEqualTo(100);
        }
        try (PcapReader r = PcapReader.open(file)) {
            assertThat(r.byteOrder()).isEqualTo(order);
            assertThat(r.nanosecondTimestamps()).isEqualTo(nanos);
            assertThat(r.snaplen()).isEqualTo(65535);
            assertThat(r.linkType()).isEqualTo(1);
        }
        List<Frame> frames = readFrames(file);
        assertThat(frames).hasSize(100);
        for (int i = 0; i < 100; i++) {
            byte[] expected = PcapBytes.frame(60 + i * 14, i);
            long ts = t0 + i * 1_001L;
            assertThat(frames.get(i).bytes()).isEqualTo(expected);
            assertThat(frames.get(i).original()).isEqualTo(expected.length);
            assertThat(frames.get(i).timestampNanos()).isEqualTo(nanos ? ts : ts / 1000 * 1000);
        }
    }

    @Test
    void writerOutputMatchesTheFormatByteForByte() throws IOException {
        Path file = dir.resolve("golden.pcap");
        try (PcapWriter w = PcapWriter.open(file, 65535)) {
            w.write(new byte[] {(byte) 0xaa, (byte) 0xbb}, 0, 2, 1_500_000_000L);
        }
        assertThat(HexFormat.of().formatHex(Files.readAllBytes(file))).isEqualTo(
                "4d3cb2a1" + "0200" + "0400" + "00000000" + "00000000" + "ffff0000" + "01000000"
                        + "01000000" + "0065cd1d" + "02000000" + "02000000" + "aabb");
    }

    @Test
    void readerParsesHandBuiltFilesOfEveryFlavour() throws IOException {
        byte[] a = PcapBytes.frame(60, 1);
        byte[] b = PcapBytes.frame(1514, 2);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            Path micros = PcapBytes.micros(order).record(10, 999_999, a).record(11, 1, b).writeTo(dir.resolve("u.pcap"));
            List<Frame> f = readFrames(micros);
            assertThat(f).extracting(Frame::bytes).containsExactly(a, b);
            assertThat(f).extracting(Frame::timestampNanos).containsExactly(10_999_999_000L, 11_000_001_000L);

            Path nanos = PcapBytes.nanos(order).record(10, 999_999_999, a).record(11, 1, b).writeTo(dir.resolve("n.pcap"));
            f = readFrames(nanos);
            assertThat(f).extracting(Frame::bytes).containsExactly(a, b);
            assertThat(f).extracting(Frame::timestampNanos).containsExactly(10_999_999_999L, 11_000_000_001L);
        }
    }

    @Test
    void framesLongerThanTheSnaplenAreCutKeepingTheOriginalLength() throws IOException {
        Path file = dir.resolve("snap.pcap");
        byte[] f = PcapBytes.frame(200, 3);
        try (PcapWriter w = PcapWriter.open(file, 96)) {
            w.write(f, 0, f.length, 0);
        }
        List<Frame> frames = readFrames(file);
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).bytes()).isEqualTo(java.util.Arrays.copyOf(f, 96));
        assertThat(frames.get(0).original()).isEqualTo(200);
    }

    @Test
    void directBufferAndArrayWritesProduceTheSameFile() throws IOException {
        Path viaArray = dir.resolve("a.pcap");
        Path viaBuffer = dir.resolve("b.pcap");
        byte[] backing = new byte[4000];
        for (int i = 0; i < backing.length; i++) {
            backing[i] = (byte) (i * 5);
        }
        UnsafeBuffer buffer = new UnsafeBuffer(backing);
        try (PcapWriter a = PcapWriter.open(viaArray, 2000); PcapWriter b = PcapWriter.open(viaBuffer, 2000)) {
            for (int i = 0; i < 50; i++) {
                a.write(backing, i * 7, 60 + i * 40, i);
                b.write(buffer, i * 7, 60 + i * 40, i);
            }
        }
        assertThat(Files.readAllBytes(viaBuffer)).isEqualTo(Files.readAllBytes(viaArray));
    }

    @Test
    void writesBeyondOneBufferAreAllKept() throws IOException {
        Path file = dir.resolve("big.pcap");
        byte[] f = PcapBytes.frame(1514, 9);
        int count = 3 * PcapWriter.DEFAULT_BUFFER_BYTES / f.length + 17;
        try (PcapWriter w = PcapWriter.open(file, 65535)) {
            for (int i = 0; i < count; i++) {
                f[20] = (byte) i;
                w.write(f, 0, f.length, i);
            }
        }
        assertThat(Files.size(file)).isEqualTo(24L + (long) count * (16 + f.length));
        List<byte[]> frames = PcapReader.readAll(file);
        assertThat(frames).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(frames.get(i)[20]).isEqualTo((byte) i);
        }
    }

    @Test
    void nextFrameCopiesAndEndsWithNull() throws IOException {
        byte[] a = PcapBytes.frame(64, 1);
        Path file = PcapBytes.nanos(ByteOrder.LITTLE_ENDIAN).record(0, 0, a).writeTo(dir.resolve("one.pcap"));
        try (PcapReader r = PcapReader.open(file)) {
            assertThat(r.nextFrame()).isEqualTo(a);
            assertThat(r.nextFrame()).isNull();
            assertThat(r.nextFrame()).isNull();
            assertThat(r.framesRead()).isEqualTo(1);
        }
    }

    @Test
    void headerOnlyFileHasNoFrames() throws IOException {
        Path file = PcapBytes.micros(ByteOrder.BIG_ENDIAN).writeTo(dir.resolve("empty.pcap"));
        assertThat(PcapReader.readAll(file)).isEmpty();
    }

    @Test
    void closedWriterRefusesWrites() throws IOException {
        Path file = dir.resolve("closed.pcap");
        PcapWriter w = PcapWriter.open(file, 100);
        w.close();
        w.close();
        assertThatThrownBy(() -> w.write(new byte[10], 0, 10, 0)).hasMessage(file + ": pcap writer is closed");
    }

    @Test
    void writerRejectsABadSnaplen() {
        Path file = dir.resolve("s.pcap");
        assertThatThrownBy(() -> PcapWriter.open(file, 0))
                .hasMessage(file + ": snaplen must be within 1..262144, got 0");
        assertThat(file).doesNotExist();
    }
}
