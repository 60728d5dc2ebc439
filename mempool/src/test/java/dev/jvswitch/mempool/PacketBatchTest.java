package dev.jvswitch.mempool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PacketBatchTest {
    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("batch-test", 8));

    @AfterEach
    void close() {
        pool.checkNoLeaks();
        pool.close();
    }

    @Test
    void swapExchangesMbufsAndSizesAndBothBatchesStayUsable() {
        PacketBatch a = new PacketBatch();
        PacketBatch b = new PacketBatch();
        Mbuf m0 = pool.get();
        Mbuf m1 = pool.get();
        Mbuf m2 = pool.get();
        a.add(m0);
        a.add(m1);
        b.add(m2);
        Mbuf[] arrayOfA = a.array();
        a.swapWith(b);
        assertThat(a.size()).isEqualTo(1);
        assertThat(a.get(0)).isSameAs(m2);
        assertThat(b.size()).isEqualTo(2);
        assertThat(b.get(0)).isSameAs(m0);
        assertThat(b.get(1)).isSameAs(m1);
        assertThat(b.array()).isSameAs(arrayOfA);
        for (int i = 0; i < PacketBatch.MAX_SIZE - 1; i++) {
            assertThat(a.add(m2)).isTrue();
        }
        assertThat(a.isFull()).isTrue();
        a.clear();
        pool.put(m0);
        pool.put(m1);
        pool.put(m2);
    }
}
