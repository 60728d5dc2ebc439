package dev.jvswitch.pmd.netdev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;

/**
 * The behaviour every port type owes the datapath, as one suite that each port type subclasses
 * (Netty's transport test suite is the model). Published in pmd-core's test-jar.
 *
 * <h2>How to subclass</h2>
 * Implement {@link #open(MbufPool)}: open the port under test with {@code pool} as its rx pool,
 * and return it with a {@link Peer}, the "other side of the wire" that injects frames the port
 * must receive and observes frames the port transmits (a veth peer, a raw socket in another
 * namespace, a second port). {@link NetdevPeer} is a ready peer when the other side is itself a
 * {@link Netdev}. Override the {@code protected} hooks where the port type differs:
 * {@link #zeroCopyRx()}, {@link #maxFrameBytes()}, {@link #timeout()}, {@link #poolConfig()}.
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>dev.jvswitch</groupId><artifactId>pmd-core</artifactId>
 *   <type>test-jar</type><scope>test</scope>
 * </dependency>
 *
 * class AfPacketPortContractTest extends NetdevContractTest {
 *     protected PortUnderTest open(MbufPool pool) throws Exception {
 *         Netdev port = Netdevs.open(new NetdevConfig("p0", "afpacket", Map.of("ifname", veth0), pool));
 *         return new PortUnderTest(port, new RawSocketPeer(veth1));   // your Peer
 *     }
 * }
 * }</pre>
 *
 * <p>Frames are {@link TestFrames} (EtherType 0x88b5 with a magic and a sequence number); frames
 * without the magic that arrive on the port are ignored and counted, so a real interface's own
 * traffic does not fail the suite, and the rx statistics are checked against that count.
 *
 * <p>The suite drives the port from the test thread: it alone polls every rx queue and sends on
 * the tx queues. After every test it closes the port and the peer, releases its cache and checks
 * that every mbuf went back to the pool.
 */
public abstract class NetdevContractTest {
    /** A port under test and the peer that sees the other side of its wire. */
    public record PortUnderTest(Netdev port, Peer peer) {
    }

    /** The far side of the port's wire, driven by the test thread. */
    @SuppressWarnings("try") // close() may throw anything a subclass's cleanup throws
    public abstract static class Peer implements AutoCloseable {
        /**
         * Puts one frame on the wire towards the port under test. When it returns, the peer holds
         * no mbuf of the suite's pool for it (the frame is in the port's rx queue, in a kernel
         * buffer, or on the wire).
         */
        public abstract void send(byte[] frame) throws Exception;

        /** The next frame the port under test transmitted, or {@code null} if none came in time. */
        public abstract byte[] receive(Duration timeout) throws Exception;

        /**
         * Takes the link down (closes the far side, or sets it administratively down) without
         * closing the port under test.
         *
         * @return false if this peer cannot do that; the link-down case is then skipped
         */
        public boolean takeLinkDown() throws Exception {
            return false;
        }

        /** Releases the peer; frees every mbuf it holds. */
        @Override
        public void close() throws Exception {
        }
    }

    protected MbufPool pool;
    protected MbufCache cache;
    protected Netdev port;
    protected Peer peer;
    private final PacketBatch batch = new PacketBatch();
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private long foreignFrames;
    private long foreignBytes;

    /** Opens the port under test, taking rx mbufs from {@code pool}, and its peer. */
    protected abstract PortUnderTest open(MbufPool pool) throws Exception;

    /** The pool the suite creates for each test. */
    protected MbufPoolConfig poolConfig() {
        return MbufPoolConfig.of("contract-" + getClass().getSimpleName(), 4096).withCacheSize(64);
    }

    /** How long to wait for a frame or a state change before failing. */
    protected Duration timeout() {
        return Duration.ofSeconds(5);
    }

    /**
     * True for a port that hands over the peer's own mbufs instead of copying into mbufs of its
     * pool (the in-memory ring): such a port receives even when its pool is empty.
     */
    protected boolean zeroCopyRx() {
        return false;
    }

    /** The largest frame the suite sends each way (Ethernet header included, no FCS). */
    protected int maxFrameBytes() {
        return 1514;
    }

    /** The smallest frame the suite sends each way. */
    protected int minFrameBytes() {
        return 60;
    }

    @BeforeEach
    void openPortUnderTest() throws Exception {
        pool = MbufPool.create(poolConfig());
        cache = pool.newCache();
        PortUnderTest opened = open(pool);
        port = opened.port();
        peer = opened.peer();
        assertThat(awaitTrue(() -> {
            port.refresh();
            return port.linkUp();
        }, timeout())).as("link of %s up after open", port.name()).isTrue();
    }

    @AfterEach
    void closeAndCheckLeaks() throws Exception {
        try {
            if (port != null) {
                port.close();
            }
            if (peer != null) {
                peer.close();
            }
            if (cache != null) {
                pool.releaseCache(cache);
            }
            if (pool != null) {
                pool.checkNoLeaks();
            }
        } finally {
            if (pool != null) {
                pool.close();
            }
        }
    }

    // ---------------------------------------------------------------- the contract

    @Test
    void queuesAndIdentityAreConsistent() {
        assertThat(port.name()).isNotBlank();
        assertThat(port.type()).isNotBlank();
        assertThat(port.rxqCount()).isPositive();
        assertThat(port.txqCount()).isPositive();
        for (int q = 0; q < port.rxqCount(); q++) {
            assertThat(port.rxq(q).netdev()).isSameAs(port);
            assertThat(port.rxq(q).id()).isEqualTo(q);
        }
        for (int q = 0; q < port.txqCount(); q++) {
            assertThat(port.txq(q).netdev()).isSameAs(port);
            assertThat(port.txq(q).id()).isEqualTo(q);
        }
        assertThat(port.mtu()).isBetween(68, 65535);
        assertThat(port.macAddress() >>> 48).as("MAC fits 48 bits").isZero();
    }

    @Test
    void idlePortReceivesNothing() {
        for (int q = 0; q < port.rxqCount(); q++) {
            int n = port.rxq(q).recv(batch, cache);
            // A real interface may see its host's own traffic; only test frames would be wrong.
            for (int i = 0; i < n; i++) {
                assertThat(TestFrames.isTestFrame(batch.get(i).toByteArray())).isFalse();
            }
            cache.putAll(batch);
        }
    }

    @Test
    void framesFromPeerArriveByteIdenticalViaRecv() throws Exception {
        int seq = 0;
        for (int size = minFrameBytes(); size <= maxFrameBytes(); size++) {
            byte[] frame = TestFrames.frame(size, seq++);
            peer.send(frame);
            byte[] got = receiveOnPort(timeout());
            assertThat(got).as("frame of %d bytes received", size).isNotNull();
            assertThat(got).as("frame of %d bytes received", size).isEqualTo(frame);
        }
    }

    @Test
    void framesSentArriveByteIdenticalAtPeer() throws Exception {
        int seq = 0;
        for (int size = minFrameBytes(); size <= maxFrameBytes(); size++) {
            byte[] frame = TestFrames.frame(size, seq++);
            assertThat(sendOnPort(0, frame)).as("frame of %d bytes sent", size).isEqualTo(1);
            byte[] got = receiveTestFrameAtPeer(timeout());
            assertThat(got).as("frame of %d bytes at peer", size).isNotNull();
            assertThat(got).as("frame of %d bytes at peer", size).isEqualTo(frame);
        }
    }

    @Test
    void everyTxqDeliversAndFullBatchesArriveWhole() throws Exception {
        int seq = 0;
        for (int q = 0; q < port.txqCount(); q++) {
            Map<Integer, byte[]> expected = new HashMap<>();
            byte[][] frames = new byte[PacketBatch.MAX_SIZE][];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = TestFrames.frame(minFrameBytes() + 13 * i, seq);
                expected.put(seq++, frames[i]);
            }
            assertThat(sendOnPort(q, frames)).as("sent on txq %d", q).isEqualTo(frames.length);
            for (int i = 0; i < frames.length; i++) {
                byte[] got = receiveTestFrameAtPeer(timeout());
                assertThat(got).as("frame %d of the batch on txq %d", i, q).isNotNull();
                assertThat(expected.remove(TestFrames.sequence(got))).as("expected frame").isEqualTo(got);
            }
        }
    }

    @Test
    void sendTakesOwnershipEvenWhenNobodyReads() throws Exception {
        NetdevStats before = stats();
        int batches = 64;
        int total = 0;
        int sent = 0;
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < PacketBatch.MAX_SIZE; i++) {
                batch.add(mbufOf(TestFrames.frame(minFrameBytes(), total++)));
            }
            int n = port.txq(0).send(batch, cache);
            assertThat(batch.isEmpty()).as("batch handed over whole").isTrue();
            assertThat(n).isBetween(0, PacketBatch.MAX_SIZE);
            sent += n;
        }
        NetdevStats after = stats();
        assertThat(after.txPackets - before.txPackets).isEqualTo(sent);
        assertThat(after.txDropped - before.txDropped).isEqualTo(total - sent);
        int atPeer = 0;
        byte[] got;
        while (atPeer <= total && (got = receiveTestFrameAtPeer(Duration.ofMillis(200))) != null) {
            assertThat(got).isEqualTo(TestFrames.frame(minFrameBytes(), TestFrames.sequence(got)));
            atPeer++;
        }
        assertThat(atPeer).isLessThanOrEqualTo(sent);
    }

    @Test
    void statsCountPacketsAndBytesBothWays() throws Exception {
        int[] sizes = {60, 64, 128, 511, 1000, maxFrameBytes()};
        NetdevStats before = stats();
        long foreignFramesBefore = foreignFrames;
        long foreignBytesBefore = foreignBytes;
        long bytes = 0;
        int seq = 0;
        for (int size : sizes) {
            byte[] frame = TestFrames.frame(size, seq++);
            peer.send(frame);
            assertThat(receiveOnPort(timeout())).isEqualTo(frame);
            bytes += size;
        }
        for (int size : sizes) {
            byte[] frame = TestFrames.frame(size, seq++);
            assertThat(sendOnPort(0, frame)).isEqualTo(1);
            assertThat(receiveTestFrameAtPeer(timeout())).isEqualTo(frame);
        }
        NetdevStats after = stats();
        assertThat(after.rxPackets - before.rxPackets).isEqualTo(sizes.length + foreignFrames - foreignFramesBefore);
        assertThat(after.rxBytes - before.rxBytes).isEqualTo(bytes + foreignBytes - foreignBytesBefore);
        assertThat(after.txPackets - before.txPackets).isEqualTo(sizes.length);
        assertThat(after.txBytes - before.txBytes).isEqualTo(bytes);
        assertThat(after.rxDropped - before.rxDropped).isZero();
        assertThat(after.txDropped - before.txDropped).isZero();
    }

    @Test
    void recvWithAnEmptyPool() throws Exception {
        NetdevStats before = stats();
        byte[] frame = TestFrames.frame(128, 7);
        peer.send(frame);
        List<Mbuf> hoard = new ArrayList<>();
        try {
            Mbuf m;
            while (hoard.size() <= pool.capacity() && (m = cache.get()) != null) {
                hoard.add(m);
            }
            if (zeroCopyRx()) {
                assertThat(receiveOnPort(timeout())).isEqualTo(frame);
                assertThat(stats().rxNoMbuf - before.rxNoMbuf).isZero();
            } else {
                boolean counted = awaitTrue(() -> {
                    for (int q = 0; q < port.rxqCount(); q++) {
                        assertThat(port.rxq(q).recv(batch, cache)).as("recv with an empty pool").isZero();
                        assertThat(batch.isEmpty()).isTrue();
                    }
                    return stats().rxNoMbuf > before.rxNoMbuf;
                }, timeout());
                assertThat(counted).as("no_mbuf counted").isTrue();
                NetdevStats after = stats();
                assertThat(after.rxDropped - before.rxDropped).isGreaterThanOrEqualTo(after.rxNoMbuf - before.rxNoMbuf);
                assertThat(after.rxPackets).isEqualTo(before.rxPackets);
            }
        } finally {
            for (Mbuf m : hoard) {
                cache.put(m);
            }
        }
    }

    @Test
    void sendOnClosedPortFreesEverythingAndCountsDrops() {
        port.close();
        assertThat(port.linkUp()).isFalse();
        NetdevStats before = stats();
        for (int i = 0; i < 8; i++) {
            batch.add(mbufOf(TestFrames.frame(100, i)));
        }
        assertThat(port.txq(0).send(batch, cache)).isZero();
        assertThat(batch.isEmpty()).isTrue();
        NetdevStats after = stats();
        assertThat(after.txDropped - before.txDropped).isEqualTo(8);
        assertThat(after.txPackets).isEqualTo(before.txPackets);
        for (int q = 0; q < port.rxqCount(); q++) {
            assertThat(port.rxq(q).recv(batch, cache)).as("recv after close").isZero();
        }
    }

    @Test
    void sendWhileLinkDownFreesEverythingAndCountsLinkDown() throws Exception {
        NetdevStats before = stats();
        assumeThat(peer.takeLinkDown()).as("peer can take the link down").isTrue();
        assertThat(awaitTrue(() -> {
            port.refresh();
            return !port.linkUp();
        }, timeout())).as("link of %s down", port.name()).isTrue();
        for (int i = 0; i < 8; i++) {
            batch.add(mbufOf(TestFrames.frame(100, i)));
        }
        assertThat(port.txq(0).send(batch, cache)).isZero();
        assertThat(batch.isEmpty()).isTrue();
        NetdevStats after = stats();
        assertThat(after.txDropped - before.txDropped).isEqualTo(8);
        assertThat(after.txLinkDown - before.txLinkDown).isEqualTo(8);
        assertThat(after.linkDownEvents - before.linkDownEvents).isPositive();
    }

    @Test
    void closeFreesWhatWaitsToBeReceived() throws Exception {
        for (int i = 0; i < 10; i++) {
            peer.send(TestFrames.frame(64 + i, i));
        }
        port.close();
        assertThat(pool.inUse()).as("mbufs held after the port closed").isZero();
    }

    @Test
    void closeIsIdempotent() {
        port.close();
        port.close();
        assertThat(port.linkUp()).isFalse();
        assertThat(stats()).isNotNull();
    }

    // ---------------------------------------------------------------- helpers for subclasses

    /** The port's counters now. */
    protected final NetdevStats stats() {
        NetdevStats s = new NetdevStats();
        port.readStats(s);
        return s;
    }

    /** An mbuf of the suite's pool holding {@code frame}. */
    protected final Mbuf mbufOf(byte[] frame) {
        Mbuf m = cache.get();
        assertThat(m).as("mbuf for a test frame").isNotNull();
        assertThat(m.copyFrom(frame, 0, frame.length)).as("frame of %d bytes fits an mbuf", frame.length).isTrue();
        return m;
    }

    /** Sends {@code frames} in one batch on tx queue {@code txq}; returns what the port reports sent. */
    protected final int sendOnPort(int txq, byte[]... frames) {
        for (byte[] f : frames) {
            batch.add(mbufOf(f));
        }
        int sent = port.txq(txq).send(batch, cache);
        assertThat(batch.isEmpty()).as("send empties the batch").isTrue();
        return sent;
    }

    /** The next test frame received on any rx queue of the port, or {@code null} on timeout. */
    protected final byte[] receiveOnPort(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int spin = 0; pending.isEmpty() && spin < Integer.MAX_VALUE; spin++) {
            for (int q = 0; q < port.rxqCount(); q++) {
                int n = port.rxq(q).recv(batch, cache);
                assertThat(n).isEqualTo(batch.size());
                for (int i = 0; i < n; i++) {
                    Mbuf m = batch.get(i);
                    assertThat(m.inPort()).as("in_port is left for the datapath").isZero();
                    byte[] bytes = m.toByteArray();
                    if (TestFrames.isTestFrame(bytes)) {
                        pending.add(bytes);
                    } else {
                        foreignFrames++;
                        foreignBytes += bytes.length;
                    }
                }
                cache.putAll(batch);
            }
            if (!pending.isEmpty() || System.nanoTime() - deadline > 0) {
                break;
            }
            backoff(spin);
        }
        return pending.poll();
    }

    /** The next test frame the peer saw, skipping anything else, or {@code null} on timeout. */
    protected final byte[] receiveTestFrameAtPeer(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < 1_000_000; i++) {
            long left = deadline - System.nanoTime();
            byte[] f = peer.receive(Duration.ofNanos(Math.max(0, left)));
            if (f == null || TestFrames.isTestFrame(f)) {
                return f;
            }
        }
        return null;
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes. */
    protected static boolean awaitTrue(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int spin = 0; spin < Integer.MAX_VALUE; spin++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            backoff(spin);
        }
        return false;
    }

    /** Spins, then yields, then parks 0.1 ms: the port may be waiting on another thread or the kernel. */
    static void backoff(int spin) {
        if (spin < 64) {
            Thread.onSpinWait();
        } else if (spin < 128) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(100_000);
        }
    }
}
