package dev.jvswitch.pmd.pcap;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files fail with one line naming the file and the problem, from the streaming reader and the image alike. */
class PcapErrorsTest {
    @TempDir
    Path dir;

    private void assertBothFail(Path file, String message) {
        ThrowingCallable stream = () -> PcapReader.readAll(file);
        ThrowingCallable image = () -> PcapImage.load(file).close();
        assertThatThrownBy(stream).isInstanceOf(PcapException.class).hasMessage(message);
        assertThatThrownBy(image).isInstanceOf(PcapException.class).hasMessage(message);
    }

    @Test
    void pcapngIsNotAPcapFile() {
        Path file = PcapBytes.header(ByteOrder.BIG_ENDIAN, 0x0a0d0d0a, 65535, 1).writeTo(dir.resolve("x.pcap"));
        assertBothFail(file, file + ": not a pcap file (magic 0x0a0d0d0a)");
    }

    @Test
    void textIsNotAPcapFile() {
        Path text = write("notes.pcap", "hello world, this is not a capture\n".getBytes(StandardCharsets.US_ASCII));
        assertBothFail(text, text + ": not a pcap file (magic 0x68656c6c)");
    }

    @Test
    void tinyAndEmptyFiles() {
        Path empty = write("empty.pcap", new byte[0]);
        assertBothFail(empty, empty + ": not a pcap file (only 0 bytes)");
        byte[] header = PcapBytes.micros(ByteOrder.LITTLE_ENDIAN).bytes();
        Path cut = write("cut.pcap", Arrays.copyOf(header, 10));
        assertBothFail(cut, cut + ": truncated file header (10 of 24 bytes)");
    }

    @Test
    void otherLinkTypesAreRejected() {
        Path file = PcapBytes.header(ByteOrder.LITTLE_ENDIAN, PcapFormat.MAGIC_MICROS, 65535, 113)
                .writeTo(dir.resolve("x.pcap"));
        assertBothFail(file, file + ": link type 113 is not Ethernet (1)");
        Path raw = PcapBytes.header(ByteOrder.BIG_ENDIAN, PcapFormat.MAGIC_NANOS, 65535, 101)
                .writeTo(dir.resolve("raw.pcap"));
        assertBothFail(raw, raw + ": link type 101 is not Ethernet (1)");
    }

    @Test
    void recordCutInItsDataIsTruncated() {
        byte[] frame = PcapBytes.frame(100, 1);
        PcapBytes b = PcapBytes.micros(ByteOrder.BIG_ENDIAN).record(1, 2, frame);
        int secondRecordAt = b.size();
        b.record(1, 3, 100, 100, Arrays.copyOf(frame, 40));
        Path file = b.writeTo(dir.resolve("x.pcap"));
        assertBothFail(file, file + ": truncated record at byte " + secondRecordAt);
        assertBothFail(file, file + ": truncated record at byte 140");
    }

    @Test
    void recordCutInItsHeaderIsTruncated() {
        byte[] frame = PcapBytes.frame(60, 1);
        PcapBytes b = PcapBytes.nanos(ByteOrder.LITTLE_ENDIAN).record(1, 2, frame).raw(new byte[] {1, 2, 3, 4, 5});
        Path file = b.writeTo(dir.resolve("x.pcap"));
        assertBothFail(file, file + ": truncated record at byte 100");
    }

    @Test
    void absurdCapturedLengthIsReported() {
        PcapBytes b = PcapBytes.micros(ByteOrder.LITTLE_ENDIAN).record(1, 2, 0x7fff_0000, 64, new byte[64]);
        Path file = b.writeTo(dir.resolve("x.pcap"));
        assertBothFail(file, file + ": record at byte 24 claims 2147418112 captured bytes (limit 262144)");
    }

    private Path write(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
