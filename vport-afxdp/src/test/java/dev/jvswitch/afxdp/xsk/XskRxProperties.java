package dev.jvswitch.afxdp.xsk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * Whatever the kernel writes into the rx ring, the receive half never throws, never hands out an
 * mbuf it does not own (or one twice), never places a frame outside its slot, counts every
 * descriptor it read as received or dropped, and loses no mbuf.
 */
class XskRxProperties {

    /** One thing the kernel does: deliver a frame it was given (with any length), or write any descriptor. */
    record KernelStep(boolean honest, long address, int length, int options, boolean userPolls) {
    }

    @Provide
    Arbitrary<KernelStep> steps() {
        Arbitrary<Long> wild = Arbitraries.oneOf(
                Arbitraries.longs(),
                Arbitraries.longs().between(-8192, 64L * 4096 + 8192),
                Arbitraries.integers().between(0, 63).map(f -> (long) f * 4096 + 256));
        return Combinators.combine(Arbitraries.of(true, true, false), wild,
                Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.integers().between(0, 4200)),
                Arbitraries.of(0, 0, 0, 1, 2, -1), Arbitraries.of(true, false))
                .as(KernelStep::new);
    }

    @Property(tries = 200)
    void anyDescriptorIsSafe(@ForAll @Size(max = 120) List<@From("steps") KernelStep> steps) {
        MbufPool pool = MbufPool.create(MbufPoolConfig.of("xsk-prop", 64).withFrameSlots().withCacheSize(8));
        MbufCache cache = pool.newCache();
        Umem umem = Umem.of(pool);
        FakeKernel kernel = new FakeKernel(16, 16);
        XskRx rx = new XskRx(umem, kernel.fillRing(), kernel.rxRing(), -1, false);
        QueueCounters counters = new QueueCounters();
        XskRxCounters xsk = new XskRxCounters();
        PacketBatch batch = new PacketBatch();
        Set<Mbuf> handedOut = new HashSet<>();
        long written = 0;
        try {
            rx.refill(cache, xsk);
            for (KernelStep s : steps) {
                if (kernel.rx.producer() - kernel.rx.consumer() < kernel.rx.size) {
                    long address = s.address();
                    if (s.honest()) {
                        long base = kernel.takeFill();
                        address = base < 0 ? s.address() : base + 256;
                    }
                    kernel.deliver(address, s.length(), s.options());
                    written++;
                }
                if (s.userPolls()) {
                    int n = rx.receive(batch, cache, 1500, counters, xsk);
                    assertThat(n).isEqualTo(batch.size());
                    for (int i = 0; i < n; i++) {
                        Mbuf m = batch.get(i);
                        assertThat(handedOut.add(m)).as("mbuf %d handed out twice", m.index()).isTrue();
                        assertThat(m.dataOffset() + m.length()).isLessThanOrEqualTo(m.capacity());
                        assertThat(m.length()).isBetween(14, 1500 + 14 + 8);
                    }
                    cache.putAll(batch);
                    handedOut.clear();
                }
            }
            int n;
            while ((n = rx.receive(batch, cache, 1500, counters, xsk)) > 0) {
                cache.putAll(batch);
            }
            long read = counters.get(QueueCounters.PACKETS) + counters.get(QueueCounters.DROPPED);
            assertThat(read).as("every descriptor written was received or dropped").isEqualTo(written);
        } finally {
            cache.putAll(batch);
            rx.reclaim();
            pool.releaseCache(cache);
            pool.checkNoLeaks();
            pool.close();
        }
    }
}
