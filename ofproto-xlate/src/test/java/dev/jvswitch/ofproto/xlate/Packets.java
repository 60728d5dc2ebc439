package dev.jvswitch.ofproto.xlate;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.parse.PacketParser;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;

/** Parses test frames into flow keys as the datapath would; checks the pool for leaks on close. */
public final class Packets implements AutoCloseable {
    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("xlate-test", 16).withCacheSize(0));
    private final PacketParser parser = new PacketParser();

    /** The key of {@code frame} received on datapath port {@code dpPort}. */
    public FlowKey key(byte[] frame, int dpPort) {
        Mbuf m = pool.get();
        try {
            m.copyFrom(frame, 0, frame.length);
            m.inPort(dpPort);
            FlowKey k = new FlowKey();
            parser.parse(m, k);
            return k;
        } finally {
            pool.put(m);
        }
    }

    public MbufPool pool() {
        return pool;
    }

    @Override
    public void close() {
        try {
            pool.checkNoLeaks();
        } finally {
            pool.close();
        }
    }
}
