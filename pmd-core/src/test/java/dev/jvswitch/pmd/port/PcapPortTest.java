package dev.jvswitch.pmd.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.pmd.netdev.TestFrames;
import dev.jvswitch.pmd.pcap.PcapBytes;
import dev.jvswitch.pmd.pcap.PcapFormat;
import dev.jvswitch.pmd.pcap.PcapReader;

class PcapPortTest {
    @TempDir
    Path dir;

    private MbufPool pool;
    private MbufCache cache;
    private final PacketBatch batch = new PacketBatch();
    private final List<Netdev> opened = new ArrayList<>();

    @BeforeEach
    void createPool() {
        pool = MbufPool.create(MbufPoolConfig.of("pcap-test", 1024).withCacheSize(64));
        cache = pool.newCache();
    }

    @AfterEach
    void closeAndCheckLeaks() {
        try {
            opened.forEach(Netdev::close);
            pool.releaseCache(cache);
            pool.checkNoLeaks();
        } finally {
            pool.close();
        }
    }

    private PcapPort open(Map<String, String> options) throws NetdevException {
        Netdev port = Netdevs.open(new NetdevConfig("p1", "pcap", options, pool));
        opened.add(port);
        return (PcapPort) port;
    }

    /** A capture of {@code sizes.length} test frames, sequence numbers 0.. in order. */
    private Path capture(String name, int... sizes) {
        PcapBytes b = PcapBytes.micros(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < sizes.length; i++) {
            b.record(1_700_000_000 + i, i, TestFrames.frame(sizes[i], i));
        }
        return b.writeTo(dir.resolve(name));
    }

    /** Polls {@code rxq} until it returns 0 twice running; returns the frames, freeing the mbufs. */
    private List<byte[]> receiveAll(Netdev port, int rxq, int maxCalls) {
        List<byte[]> frames = new ArrayList<>();
        int idle = 0;
        for (int call = 0; call < maxCalls && idle < 2; call++) {
            int n = port.rxq(rxq).recv(batch, cache);
            assertThat(n).isEqualTo(batch.size()).isLessThanOrEqualTo(PacketBatch.MAX_SIZE);
            for (int i = 0; i < n; i++) {
                frames.add(batch.get(i).toByteArray());
            }
            cache.putAll(batch);
            idle = n == 0 ? idle + 1 : 0;
        }
        return frames;
    }

    private static NetdevStats stats(Netdev port) {
        NetdevStats s = new NetdevStats();
        port.readStats(s);
        return s;
    }

    @Test
    void replaysTheCaptureInOrderEndlesslyByDefault() throws NetdevException {
        Path file = capture("five.pcap", 60, 61, 1514, 100, 64);
        PcapPort port = open(Map.of("file", file.toString()));
        assertThat(port.type()).isEqualTo("pcap");
        assertThat(port.linkUp()).isTrue();
        assertThat(port.image().frameCount()).isEqualTo(5);
        List<byte[]> got = new ArrayList<>();
        for (int call = 0; call < 100; call++) {
            int n = port.rxq(0).recv(batch, cache);
            assertThat(n).isEqualTo(PacketBatch.MAX_SIZE);
            for (int i = 0; i < n; i++) {
                got.add(batch.get(i).toByteArray());
            }
            cache.putAll(batch);
        }
        int[] sizes = {60, 61, 1514, 100, 64};
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).isEqualTo(TestFrames.frame(sizes[i % 5], i % 5));
        }
        assertThat(port.framesReplayed()).isEqualTo(3200);
        assertThat(port.replayDone()).isFalse();
        NetdevStats s = stats(port);
        assertThat(s.rxPackets).isEqualTo(3200);
        assertThat(s.rxBytes).isEqualTo(640L * (60 + 61 + 1514 + 100 + 64));
        assertThat(s.rxDropped).isZero();
    }

    @Test
    void aTimingDecidesHowManyFramesEachPollTakesAndSeesThem() throws NetdevException {
        Path file = capture("five.pcap", 60, 61, 1514, 100, 64);
        PcapPort port = open(Map.of("file", file.toString()));
        int[] allow = {0, 3, 32, 1};
        List<String> seen = new ArrayList<>();
        port.timing(new ReplayTiming() {
            private int poll;

            @Override
            public int due(int want) {
                assertThat(want).isEqualTo(PacketBatch.MAX_SIZE);
                return allow[poll++];
            }

            @Override
            public void onReceived(Mbuf[] frames, int delivered, int taken) {
                seen.add(delivered + "/" + taken + ":" + frames[0].length());
            }
        });
        int[] got = new int[allow.length];
        for (int call = 0; call < allow.length; call++) {
            got[call] = port.rxq(0).recv(batch, cache);
            cache.putAll(batch);
        }
        assertThat(got).containsExactly(0, 3, 32, 1);
        // A poll with nothing due never reaches onReceived; the others see their first frame.
        assertThat(seen).containsExactly("3/3:60", "32/32:100", "1/1:60");
        assertThat(port.framesReplayed()).isEqualTo(36);
        port.timing(null);
        assertThat(port.rxq(0).recv(batch, cache)).isEqualTo(PacketBatch.MAX_SIZE);
        cache.putAll(batch);
    }

    @Test
    void loopThreeReplaysExactlyThreeTimesThenNothing() throws NetdevException {
        int[] sizes = new int[45];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 60 + i;
        }
        PcapPort port = open(Map.of("file", capture("loop.pcap", sizes).toString(), "loop", "3"));
        List<byte[]> got = receiveAll(port, 0, 1000);
        assertThat(got).hasSize(135);
        for (int i = 0; i < 135; i++) {
            assertThat(got.get(i)).isEqualTo(TestFrames.frame(sizes[i % 45], i % 45));
        }
        assertThat(port.replayDone()).isTrue();
        assertThat(port.framesReplayed()).isEqualTo(135);
        for (int i = 0; i < 100; i++) {
            assertThat(port.rxq(0).recv(batch, cache)).isZero();
        }
        assertThat(stats(port).rxPackets).isEqualTo(135);
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void framesLongerThanTheDataRoomAreDroppedAsOversize() throws NetdevException {
        try (MbufPool small = MbufPool.create(MbufPoolConfig.of("small", 64).withDataRoom(256, 64))) {
            MbufCache smallCache = small.newCache();
            Netdev port = Netdevs.open(new NetdevConfig("p2", "pcap",
                    Map.of("file", capture("big.pcap", 100, 300, 256, 257).toString(), "loop", "2"), small));
            try {
                List<byte[]> got = new ArrayList<>();
                for (int call = 0; call < 10; call++) {
                    port.rxq(0).recv(batch, smallCache);
                    for (int i = 0; i < batch.size(); i++) {
                        got.add(batch.get(i).toByteArray());
                    }
                    smallCache.putAll(batch);
                }
                assertThat(got).extracting(f -> f.length).containsExactly(100, 256, 100, 256);
                NetdevStats s = stats(port);
                assertThat(s.rxPackets).isEqualTo(4);
                assertThat(s.rxOversize).isEqualTo(4);
                assertThat(s.rxDropped).isEqualTo(4);
                assertThat(((PcapPort) port).framesReplayed()).isEqualTo(8);
                assertThat(((PcapPort) port).replayDone()).isTrue();
            } finally {
                port.close();
                small.releaseCache(smallCache);
            }
            small.checkNoLeaks();
        }
    }

    @Test
    void anEmptyPoolDropsTheNextFrameAsNoMbuf() throws NetdevException {
        PcapPort port = open(Map.of("file", capture("nombuf.pcap", 60, 70, 80).toString(), "loop", "1"));
        List<Mbuf> hoard = new ArrayList<>();
        Mbuf m;
        while (hoard.size() <= pool.capacity() && (m = cache.get()) != null) {
            hoard.add(m);
        }
        assertThat(port.rxq(0).recv(batch, cache)).isZero();
        NetdevStats s = stats(port);
        assertThat(s.rxNoMbuf).isEqualTo(1);
        assertThat(s.rxDropped).isEqualTo(1);
        assertThat(port.framesReplayed()).isEqualTo(1);
        hoard.forEach(cache::put);
        List<byte[]> rest = receiveAll(port, 0, 10);
        assertThat(rest).extracting(f -> f.length).containsExactly(70, 80);
        assertThat(port.replayDone()).isTrue();
    }

    @Test
    void everyRxqReplaysTheWholeCapture() throws NetdevException {
        PcapPort port = open(Map.of("file", capture("q.pcap", 60, 61, 62).toString(), "loop", "2", "rxqs", "3"));
        assertThat(port.rxqCount()).isEqualTo(3);
        assertThat(receiveAll(port, 0, 10)).hasSize(6);
        assertThat(port.replayDone()).as("queues 1 and 2 still to go").isFalse();
        assertThat(receiveAll(port, 1, 10)).hasSize(6);
        assertThat(receiveAll(port, 2, 10)).extracting(TestFrames::sequence).containsExactly(0, 1, 2, 0, 1, 2);
        assertThat(port.replayDone()).isTrue();
        assertThat(port.framesReplayed()).isEqualTo(18);
        assertThat(stats(port).rxPackets).isEqualTo(18);
    }

    @Test
    void outRecordsEverythingSentAndFlushesOnClose() throws Exception {
        Path out = dir.resolve("out.pcap");
        long before = System.currentTimeMillis() * 1_000_000L;
        PcapPort port = open(Map.of("out", out.toString()));
        assertThat(port.txqCount()).isEqualTo(1);
        assertThat(port.txqsNeedLocking()).isTrue();
        assertThat(port.rxq(0).recv(batch, cache)).as("no file, nothing received").isZero();
        List<byte[]> sent = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            for (int i = 0; i < 20; i++) {
                byte[] f = TestFrames.frame(60 + 7 * i, sent.size());
                sent.add(f);
                Mbuf m = cache.get();
                m.copyFrom(f, 0, f.length);
                batch.add(m);
            }
            assertThat(port.txq(0).send(batch, cache)).isEqualTo(20);
            assertThat(batch.isEmpty()).isTrue();
        }
        assertThat(pool.inUse()).isZero();
        port.close();
        long after = System.currentTimeMillis() * 1_000_000L + 1_000_000L;
        assertThat(port.outError()).isNull();
        List<Long> stamps = new ArrayList<>();
        List<byte[]> written = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(out)) {
            assertThat(reader.snaplen()).isEqualTo(PcapFormat.MAX_SNAPLEN);
            reader.forEach((buffer, offset, captured, original, ts) -> {
                byte[] f = new byte[captured];
                buffer.getBytes(offset, f);
                written.add(f);
                stamps.add(ts);
            });
        }
        assertThat(written).containsExactlyElementsOf(sent);
        assertThat(stamps).allSatisfy(ts -> assertThat(ts).isBetween(before - 1_000_000_000L, after + 1_000_000_000L));
        assertThat(stamps).isSorted();
        NetdevStats s = stats(port);
        assertThat(s.txPackets).isEqualTo(200);
        assertThat(s.txBytes).isEqualTo(sent.stream().mapToLong(f -> f.length).sum());
    }

    @Test
    void withoutOutItDiscardsLikeNull() throws NetdevException {
        PcapPort port = (PcapPort) Netdevs.open(new NetdevConfig("p3", "pcap", Map.of(), pool, 4));
        opened.add(port);
        assertThat(port.txqCount()).isEqualTo(4);
        assertThat(port.txqsNeedLocking()).isFalse();
        assertThat(port.replayDone()).as("nothing to replay").isTrue();
        assertThat(port.framesReplayed()).isZero();
        for (int i = 0; i < 5; i++) {
            Mbuf m = cache.get();
            m.setLength(64);
            batch.add(m);
        }
        assertThat(port.txq(3).send(batch, cache)).isEqualTo(5);
        assertThat(stats(port).txBytes).isEqualTo(320);
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void aHeaderOnlyCaptureReceivesNothingAndIsDone() throws NetdevException {
        Path file = PcapBytes.nanos(ByteOrder.BIG_ENDIAN).writeTo(dir.resolve("none.pcap"));
        PcapPort port = open(Map.of("file", file.toString()));
        assertThat(port.rxq(0).recv(batch, cache)).isZero();
        assertThat(port.replayDone()).isTrue();
    }

    @Test
    void closedPortReceivesNothingAndDropsWhatItIsSent() throws NetdevException {
        PcapPort port = open(Map.of("file", capture("c.pcap", 60).toString()));
        port.close();
        port.close();
        assertThat(port.linkUp()).isFalse();
        assertThat(port.rxq(0).recv(batch, cache)).isZero();
        batch.add(cache.get());
        assertThat(port.txq(0).send(batch, cache)).isZero();
        assertThat(stats(port).txLinkDown).isEqualTo(1);
    }

    @Test
    void badFilesAndOptionsFailNamingPortFileAndReason() {
        Path missing = dir.resolve("missing.pcap");
        assertThatThrownBy(() -> open(Map.of("file", missing.toString())))
                .isInstanceOf(NetdevException.class)
                .hasMessage("port p1: option 'file': " + missing + ": no such file or directory");
        Path wrongLink = PcapBytes.header(ByteOrder.LITTLE_ENDIAN, PcapFormat.MAGIC_MICROS, 65535, 113)
                .writeTo(dir.resolve("x.pcap"));
        assertThatThrownBy(() -> open(Map.of("file", wrongLink.toString())))
                .hasMessage("port p1: " + wrongLink + ": link type 113 is not Ethernet (1)");
        assertThatThrownBy(() -> open(Map.of("out", dir.resolve("no/such/dir/o.pcap").toString())))
                .hasMessage("port p1: option 'out': " + dir.resolve("no/such/dir/o.pcap") + ": no such file or directory");
        Map<String, String> badLoop = new HashMap<>();
        badLoop.put("loop", "-1");
        assertThatThrownBy(() -> open(badLoop))
                .hasMessage("port p1: option 'loop' must be within 0..2147483647, got -1");
        assertThatThrownBy(() -> open(Map.of("rxqs", "many")))
                .hasMessage("port p1: option 'rxqs' must be an integer, got 'many'");
        assertThatThrownBy(() -> open(Map.of("files", "x")))
                .hasMessage("port p1: unknown option 'files' for type pcap (known: file, loop, mac, mtu, out, rxqs)");
    }
}
