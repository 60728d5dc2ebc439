package dev.jvswitch.flowcache.testing;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.parse.PacketParser;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Parses byte arrays through a real mbuf, so tests exercise the same buffer and bounds the
 * datapath uses. One mbuf, reused; close it to free the pool (and check for leaks).
 */
public final class ParseHarness implements AutoCloseable {
    /** Data room of the harness mbuf: every frame length the properties try fits. */
    public static final int DATA_ROOM = 2048;

    private final MbufPool pool = MbufPool.create(
            MbufPoolConfig.of("parse-harness", 1).withDataRoom(DATA_ROOM, MbufPoolConfig.DEFAULT_HEADROOM_BYTES));
    private final Mbuf m = pool.get();
    private final PacketParser parser = new PacketParser();

    /** What one parse produced. */
    public record Parsed(FlowKey key, int l2, int l3, int l4, int rssHash) {
    }

    public Mbuf mbuf() {
        return m;
    }

    /** Parses {@code frame} with zero metadata. */
    public Parsed parse(byte[] frame) {
        return parse(frame, frame.length, (byte) 0);
    }

    public Parsed parseHex(String hex) {
        return parse(Frames.fromHex(hex));
    }

    /**
     * Parses the first {@code length} bytes of {@code frame}, with every byte of the slot after them
     * set to {@code fill}: a parser that reads past the packet sees {@code fill}.
     */
    public Parsed parse(byte[] frame, int length, byte fill) {
        m.reset();
        m.setLength(0);
        int tailStart = m.dataOffset() + length;
        m.buffer().setMemory(tailStart, m.capacity() - tailStart, fill);
        m.copyFrom(frame, 0, length);
        return parseLoaded();
    }

    /** Parses whatever the mbuf holds now (metadata included). */
    public Parsed parseLoaded() {
        FlowKey key = new FlowKey();
        parser.parse(m, key);
        return new Parsed(key, m.l2Offset(), m.l3Offset(), m.l4Offset(), m.rssHash());
    }

    /** Parses {@code frame} with zero metadata as the PMD's lookup does ({@link PacketParser#parseForLookup}). */
    public Parsed parseForLookup(byte[] frame) {
        m.reset();
        m.copyFrom(frame, 0, frame.length);
        FlowKey key = new FlowKey();
        parser.parseForLookup(m, key);
        return new Parsed(key, m.l2Offset(), m.l3Offset(), m.l4Offset(), m.rssHashValid() ? m.rssHash() : 0);
    }

    public PacketParser parser() {
        return parser;
    }

    @Override
    public void close() {
        pool.put(m);
        pool.checkNoLeaks();
        pool.close();
    }
}
