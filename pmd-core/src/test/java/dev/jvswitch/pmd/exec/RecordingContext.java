package dev.jvswitch.pmd.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.pmd.stats.DropReason;
import dev.jvswitch.pmd.tunnel.TunnelOps;

/**
 * An {@link ExecContext} that records what the executor hands it (a snapshot of the bytes and
 * metadata, and the mbuf's identity) and frees every mbuf at once, so that a test can check the
 * results and the pool's leak check still sees every mbuf come back.
 */
final class RecordingContext implements ExecContext {
    /** What one hand-off looked like at the moment it happened. */
    record Sent(String kind, int port, Mbuf mbuf, byte[] bytes, int l2, int l3, int l4, int inPort, int recircId,
            int recircDepth, int dpHash, int skbMark, long tunnelId, int tunnelIpv4Src, int tunnelIpv4Dst, int tunnelTos,
            int tunnelTtl, int tunnelFlags, int tunnelTpDst) {
    }

    private final MbufCache cache;
    private final Map<Integer, TunnelOps> tunnels = new HashMap<>();
    private final Map<Integer, Integer> mtus = new HashMap<>();
    final List<Sent> sent = new ArrayList<>();
    final long[] drops = new long[DropReason.count()];

    RecordingContext(MbufCache cache) {
        this.cache = cache;
    }

    RecordingContext tunnel(int port, TunnelOps ops) {
        tunnels.put(port, ops);
        return this;
    }

    RecordingContext mtu(int port, int bytes) {
        mtus.put(port, bytes);
        return this;
    }

    List<Sent> outputs(int port) {
        return sent.stream().filter(s -> s.kind.equals("output") && s.port == port).toList();
    }

    List<Sent> recirculated() {
        return sent.stream().filter(s -> s.kind.equals("recirc")).toList();
    }

    long dropCount() {
        long total = 0;
        for (long d : drops) {
            total += d;
        }
        return total;
    }

    private void record(String kind, int port, Mbuf m) {
        sent.add(new Sent(kind, port, m, m.toByteArray(), m.l2Offset(), m.l3Offset(), m.l4Offset(), m.inPort(),
                m.recircId(), m.recircDepth(), m.dpHash(), m.skbMark(), m.tunnelId(), m.tunnelIpv4Src(), m.tunnelIpv4Dst(),
                m.tunnelTos(), m.tunnelTtl(), m.tunnelFlags(), m.tunnelTpDst()));
        cache.put(m);
    }

    @Override
    public void output(int port, Mbuf m) {
        record("output", port, m);
    }

    @Override
    public void recirculate(Mbuf m) {
        record("recirc", -1, m);
    }

    @Override
    public TunnelOps tunnelOps(int port) {
        return tunnels.get(port);
    }

    @Override
    public int portMtu(int port) {
        return mtus.getOrDefault(port, 0);
    }

    @Override
    public MbufCache cache() {
        return cache;
    }

    @Override
    public void countDrop(DropReason reason) {
        drops[reason.id()]++;
    }
}
