package dev.jvswitch.pmd.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * A whole pcap file read into one block of native memory, with the offset and length of every
 * frame in it: the source the {@code pcap} port replays from, so that replay touches neither the
 * file system nor the Java heap.
 *
 * <p>The file is copied in unchanged and walked in place by {@link PcapReader}, so a frame's bytes
 * sit at {@link #frameOffset(int)} in {@link #buffer()}, between the record headers. The memory
 * comes from Chronicle Bytes (not the direct-buffer allocator, so a large capture does not count
 * against {@code -XX:MaxDirectMemorySize}) and is released by {@link #close()}.
 *
 * <p><b>Thread-safety:</b> immutable after {@link #load}; any number of threads may read frames
 * at once. {@link #close()} is called once, after every reader has stopped.
 */
public final class PcapImage implements AutoCloseable {
    /** Largest file an image holds: offsets are ints. */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;
    private static final int READ_CHUNK_BYTES = 1 << 20;

    private final String fileName;
    private final BytesStore<?, Void> store;
    private final UnsafeBuffer buffer;
    /** Frame {@code i} is at {@code frames[2i]} and is {@code frames[2i+1]} bytes long. */
    private final int[] frames;
    private final int frameCount;
    private final int maxFrameLength;
    private final long frameBytes;
    private boolean closed;

    private PcapImage(String fileName, BytesStore<?, Void> store, UnsafeBuffer buffer, Indexer index) {
        this.fileName = fileName;
        this.store = store;
        this.buffer = buffer;
        this.frames = Arrays.copyOf(index.frames, 2 * index.count);
        this.frameCount = index.count;
        this.maxFrameLength = index.maxLength;
        this.frameBytes = index.bytes;
    }

    /** Reads and indexes {@code file}; fails with a one-line message naming the file and the problem. */
    public static PcapImage load(Path file) throws IOException {
        String name = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > MAX_FILE_BYTES) {
                throw new PcapException(name + ": " + size + " bytes is more than a pcap port holds ("
                        + MAX_FILE_BYTES + ")");
            }
            int length = (int) size;
            BytesStore<?, Void> store = BytesStore.nativeStoreWithFixedCapacity(Math.max(64, length));
            try {
                UnsafeBuffer buffer = new UnsafeBuffer(store.addressForRead(0), length);
                readFully(name, channel, buffer, length);
                Indexer index = new Indexer();
                try (PcapReader reader = PcapReader.overImage(name, buffer, length)) {
                    reader.forEach(index);
                }
                return new PcapImage(name, store, buffer, index);
            } catch (IOException | RuntimeException | Error e) {
                store.releaseLast();
                throw e;
            }
        }
    }

    private static void readFully(String name, FileChannel channel, UnsafeBuffer into, int length) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(READ_CHUNK_BYTES, Math.max(1, length)));
        int done = 0;
        while (done < length) {
            chunk.clear();
            chunk.limit(Math.min(chunk.capacity(), length - done));
            int n = channel.read(chunk);
            if (n < 0) {
                throw new PcapException(name + ": file shrank to " + done + " bytes while being read");
            }
            into.putBytes(done, chunk.array(), 0, n);
            done += n;
        }
    }

    public String fileName() {
        return fileName;
    }

    public int frameCount() {
        return frameCount;
    }

    /** Offset of frame {@code i}'s first byte in {@link #buffer()}. */
    public int frameOffset(int i) {
        return frames[2 * i];
    }

    /** Captured length of frame {@code i}. */
    public int frameLength(int i) {
        return frames[2 * i + 1];
    }

    /** Native address of frame {@code i}'s first byte; valid until {@link #close()}. */
    public long frameAddress(int i) {
        return buffer.addressOffset() + frames[2 * i];
    }

    /** The whole file; read-only by convention. */
    public DirectBuffer buffer() {
        return buffer;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    /** Sum of the captured lengths of all frames. */
    public long frameBytes() {
        return frameBytes;
    }

    /** Releases the native memory; idempotent. Frames must not be read afterwards. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            store.releaseLast();
        }
    }

    /** Collects frame offsets while the reader walks the image. */
    private static final class Indexer implements PcapReader.FrameHandler {
        int[] frames = new int[256];
        int count;
        int maxLength;
        long bytes;

        @Override
        public void onFrame(DirectBuffer buffer, int offset, int capturedLength, int originalLength, long ts) {
            if (2 * count + 2 > frames.length) {
                frames = Arrays.copyOf(frames, frames.length * 2);
            }
            frames[2 * count] = offset;
            frames[2 * count + 1] = capturedLength;
            count++;
            maxLength = Math.max(maxLength, capturedLength);
            bytes += capturedLength;
        }
    }
}
