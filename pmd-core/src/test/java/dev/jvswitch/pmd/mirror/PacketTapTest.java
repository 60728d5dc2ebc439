package dev.jvswitch.pmd.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;

/** Copies keep the bytes and lengths (cut at snaplen); a full ring and the rate bound drop and count. */
class PacketTapTest {
    private record Frame(long time, int length, byte[] bytes) {
    }

    private static List<Frame> drain(PacketTap tap) {
        List<Frame> out = new ArrayList<>();
        tap.drain((t, len, buf, off, cap) -> {
            byte[] b = new byte[cap];
            buf.getBytes(off, b);
            out.add(new Frame(t, len, b));
        }, Integer.MAX_VALUE);
        return out;
    }

    private static Mbuf frame(MbufPool pool, int length, int fill) {
        Mbuf m = pool.get();
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (fill + i);
        }
        assertThat(m.copyFrom(b, 0, length)).isTrue();
        return m;
    }

    @Test
    void copiesBytesCutAtSnaplenAndLeavesThePacketAlone() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("tap", 16).withCacheSize(0))) {
            PacketTap tap = new PacketTap(1 << 16, 100, 0);
            Mbuf small = frame(pool, 60, 1);
            Mbuf big = frame(pool, 1500, 7);
            tap.copy(small, 5);
            tap.copy(big, 6);
            assertThat(small.length()).isEqualTo(60);
            List<Frame> got = drain(tap);
            assertThat(got).hasSize(2);
            assertThat(got.get(0).time()).isEqualTo(5);
            assertThat(got.get(0).length()).isEqualTo(60);
            assertThat(got.get(0).bytes()).hasSize(60).startsWith((byte) 1, (byte) 2);
            assertThat(got.get(1).length()).isEqualTo(1500);
            assertThat(got.get(1).bytes()).hasSize(100).startsWith((byte) 7, (byte) 8);
            assertThat(tap.copied()).isEqualTo(2);
            pool.put(small);
            pool.put(big);
        }
    }

    @Test
    void aFullRingAndTheRateBoundDropAndCount() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("tap2", 16).withCacheSize(0))) {
            Mbuf m = frame(pool, 1500, 0);
            PacketTap full = new PacketTap(1 << 16, 2048, 0);
            for (int i = 0; i < 100; i++) {
                full.copy(m, i);
            }
            assertThat(full.copied()).isBetween(40L, 44L); // 64 KiB of 1 520-byte records
            assertThat(full.droppedFull()).isEqualTo(100 - full.copied());
            assertThat(drain(full)).hasSize((int) full.copied());

            PacketTap rate = new PacketTap(1 << 20, 64, 10);
            for (int i = 0; i < 30; i++) {
                rate.copy(m, 1_000_000_000L + i);
            }
            assertThat(rate.copied()).isEqualTo(10);
            assertThat(rate.droppedRate()).isEqualTo(20);
            rate.copy(m, 2_000_000_001L); // the next second
            assertThat(rate.copied()).isEqualTo(11);
            pool.put(m);
        }
    }

    @Test
    void refusesBadBounds() {
        assertThatThrownBy(() -> new PacketTap(1000, 100, 0)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new PacketTap(1 << 16, 5, 0)).hasMessageContaining("snaplen");
        assertThatThrownBy(() -> new PacketTap(1 << 16, 100, -1)).hasMessageContaining("max-pps");
    }
}
