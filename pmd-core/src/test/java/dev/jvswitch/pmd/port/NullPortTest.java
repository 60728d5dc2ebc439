package dev.jvswitch.pmd.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.netdev.Netdevs;

class NullPortTest {
    @Test
    void countsAndFreesWhatItIsSentAndReceivesNothing() throws Exception {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("null", 256))) {
            MbufCache cache = pool.newCache();
            Netdev port = Netdevs.open(new NetdevConfig("n0", "null", Map.of(), pool, 3));
            assertThat(port).isInstanceOf(NullPort.class);
            assertThat(port.type()).isEqualTo("null");
            assertThat(port.txqCount()).isEqualTo(3);
            assertThat(port.txqsNeedLocking()).isFalse();
            assertThat(port.linkUp()).isTrue();
            PacketBatch batch = new PacketBatch();
            for (int q = 0; q < 3; q++) {
                for (int i = 0; i < 10; i++) {
                    Mbuf m = cache.get();
                    m.setLength(100 + i);
                    batch.add(m);
                }
                assertThat(port.txq(q).send(batch, cache)).isEqualTo(10);
                assertThat(batch.isEmpty()).isTrue();
            }
            assertThat(pool.inUse()).isZero();
            assertThat(port.rxq(0).recv(batch, cache)).isZero();
            NetdevStats s = new NetdevStats();
            port.readStats(s);
            assertThat(s.txPackets).isEqualTo(30);
            assertThat(s.txBytes).isEqualTo(3 * (100 * 10 + 45));
            assertThat(s.rxPackets).isZero();

            port.close();
            port.close();
            assertThat(port.linkUp()).isFalse();
            batch.add(cache.get());
            assertThat(port.txq(0).send(batch, cache)).isZero();
            s.clear();
            port.readStats(s);
            assertThat(s.txLinkDown).isEqualTo(1);
            assertThat(s.txDropped).isEqualTo(1);
            pool.releaseCache(cache);
            pool.checkNoLeaks();
        }
    }

    @Test
    void aSinkTapSeesEveryBatchBeforeItIsFreed() throws Exception {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("null-tap", 64))) {
            MbufCache cache = pool.newCache();
            NullPort port = (NullPort) Netdevs.open(new NetdevConfig("n0", "null", Map.of(), pool, 2));
            int[] lengths = new int[8];
            int[] batches = new int[1];
            port.sinkTap(b -> {
                batches[0]++;
                for (int i = 0; i < b.size(); i++) {
                    lengths[i] = b.get(i).length();
                }
            });
            PacketBatch batch = new PacketBatch();
            for (int q = 0; q < 2; q++) {
                for (int i = 0; i < 4; i++) {
                    Mbuf m = cache.get();
                    m.setLength(60 + 4 * q + i);
                    batch.add(m);
                }
                assertThat(port.txq(q).send(batch, cache)).isEqualTo(4);
            }
            assertThat(batches[0]).isEqualTo(2);
            assertThat(lengths).startsWith(64, 65, 66, 67);
            port.sinkTap(null);
            batch.add(cache.get());
            assertThat(port.txq(0).send(batch, cache)).isEqualTo(1);
            assertThat(batches[0]).isEqualTo(2);
            port.close();
            pool.releaseCache(cache);
            pool.checkNoLeaks();
        }
    }

    @Test
    void optionsAreChecked() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("null-opt", 4))) {
            assertThatThrownBy(() -> Netdevs.open(new NetdevConfig("n1", "null", Map.of("file", "x"), pool)))
                    .hasMessage("port n1: unknown option 'file' for type null (known: mac, mtu)");
            assertThatThrownBy(() -> Netdevs.open(new NetdevConfig("n1", "null", Map.of("mtu", "20"), pool)))
                    .hasMessage("port n1: option 'mtu' must be within 68..65535, got 20");
            pool.checkNoLeaks();
        }
    }

    @Test
    void everyInMemoryTypeIsFoundByServiceLoader() {
        assertThat(Netdevs.providers()).containsKeys("null", "pcap", "ring");
    }
}
