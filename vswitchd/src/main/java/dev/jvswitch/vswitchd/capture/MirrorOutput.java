package dev.jvswitch.vswitchd.capture;

import java.io.IOException;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

import dev.jvswitch.pmd.pcap.PcapFormat;
import dev.jvswitch.pmd.pcap.PcapWriter;

/**
 * Where one mirror's copies go: a pcap file or FIFO ({@link #pcap}), or a Linux interface
 * ({@link DeviceOutput}: a TAP device the copies arrive on, or another interface they leave by).
 *
 * <p><b>Thread-safety:</b> the mirror's writer thread alone opens, writes and closes it.
 */
interface MirrorOutput extends AutoCloseable {
    /** Bytes counted against {@code max-bytes} before the first copy (a pcap file's header). */
    long headerBytes();

    /** Bytes one copy of {@code captured} bytes counts against {@code max-bytes}. */
    long cost(int captured);

    /**
     * Writes one copy: {@code captured} bytes at {@code offset} of a frame {@code length} long.
     *
     * @return false when the output has no room for it now (counted as dropped; the mirror goes on)
     * @throws IOException when the output failed for good (the mirror stops)
     */
    boolean write(DirectBuffer buffer, int offset, int captured, int length, long epochNs) throws IOException;

    /** Makes what was written visible to the reader (a file's buffer); nothing for an interface. */
    void flush() throws IOException;

    @Override
    void close() throws IOException;

    /** Opens {@code spec}'s output (a FIFO's open waits for its reader). */
    static MirrorOutput open(MirrorSpec spec, int snaplen) throws IOException {
        return spec.file() != null ? pcap(spec, snaplen) : DeviceOutput.open(spec);
    }

    /** A pcap file (microsecond timestamps, Ethernet). */
    private static MirrorOutput pcap(MirrorSpec spec, int snaplen) throws IOException {
        PcapWriter writer = PcapWriter.open(spec.file(), snaplen, false, ByteOrder.LITTLE_ENDIAN);
        return new MirrorOutput() {
            @Override
            public long headerBytes() {
                return PcapFormat.FILE_HEADER_BYTES;
            }

            @Override
            public long cost(int captured) {
                return PcapFormat.RECORD_HEADER_BYTES + captured;
            }

            @Override
            public boolean write(DirectBuffer buffer, int offset, int captured, int length, long epochNs)
                    throws IOException {
                // The writer keeps min(length, snaplen) = captured bytes and records the length.
                writer.write(buffer, offset, length, epochNs);
                return true;
            }

            @Override
            public void flush() throws IOException {
                writer.flush();
            }

            @Override
            public void close() throws IOException {
                writer.close();
            }
        };
    }
}
