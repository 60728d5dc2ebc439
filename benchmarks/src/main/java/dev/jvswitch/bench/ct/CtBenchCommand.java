package dev.jvswitch.bench.ct;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.conntrack.Conntrack;
import dev.jvswitch.conntrack.CtAlg;
import dev.jvswitch.conntrack.CtContext;
import dev.jvswitch.conntrack.CtState;
import dev.jvswitch.conntrack.NatParams;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.frame.Frames;

/**
 * {@code jvs-bench ct-bench}: the connection tracker alone, in memory, as OVS's
 * {@code ovstest test-conntrack} measures it. Each thread owns {@code --batch} mbufs holding a UDP
 * frame and rewrites their ports in place (UDP checksum 0, so every packet is still valid), then:
 * <ol>
 *   <li><b>setup</b>: {@code --conns} distinct connections committed
 *       ({@code ct(commit,zone=i % zones)}): the setup rate, and the heap allocated per
 *       connection;</li>
 *   <li><b>replies</b>: one reply per connection (they become established);</li>
 *   <li><b>established</b>: the original direction again: established lookups per second and the
 *       heap allocated per packet (0 is the target);</li>
 *   <li><b>flush</b>: {@code flush-conntrack zone=0} timed.</li>
 * </ol>
 * With one zone each batch goes through {@code Conntrack.executeBatch}, as the datapath's
 * executor hands a ct action's batch over; with several, packet by packet.
 * Rates are packets per CPU second of the measuring threads ({@code *Wall}: over the wall time of
 * the slowest thread); each packet's ct_state is checked.
 *
 * <p><b>What is measured: a tracker in steady state.</b> After a JIT warm-up on a tracker of its
 * own (two rounds of up to 200 000 connections), the four phases run twice on one tracker at the
 * same connection count: a <em>cold</em> round, in which the Java heap and the tracker's
 * connection pool grow from nothing (the page faults of a growing heap, the collector copying
 * every new connection while it is young, the pool's objects made), then, after the zone flush
 * (every zone's, with {@code --zones}), the measured round, with the heap at the size the
 * connections need and the pool holding as many connections as are set up: what a long-running
 * daemon, whose connections end as others begin, sees. The cold round's figures are reported too
 * ({@code *Cold}). OVS pays the same kind of cost in its own cold start (glibc's arenas grow with
 * page faults) and the same steady state afterwards (freed connections' memory malloc'd again);
 * run its benchmark under the same rule (a round at the same count first) to compare. Allocation
 * that steady state still does (the table's slot arrays growing back after the flush) is in
 * {@code bytesPerConnection}. CPU time is the measuring threads' own; {@code processCpuNsPer*} adds
 * every other thread of the process over the same phase (the collector's, the JIT's), for the
 * cost a busy machine pays ({@code benchmarks/scripts/ovs-ct-bench} measures OVS this way).
 *
 * <p>Every packet is tracked at one clock reading, taken when the measurement starts, as OVS's
 * {@code test-conntrack} passes one {@code now} to every call: with the wall clock, a loaded
 * machine's slow setup phase expired the first connections (UDP's 30 s first-packet timeout)
 * before their replies came.
 *
 * <p>Against OVS's own benchmark: OVS 3.1's {@code ovstest test-conntrack benchmark} repeats one
 * batch of at most 32 connections, so it measures lookups of a few hot connections; the setup,
 * established and flush figures of 1-3 M connections come from its later
 * {@code benchmark-zones} (OVS 3.4), which commits N connections one packet per call, then sends
 * the same original-direction packets again without commit (no replies in between, so UDP stays
 * in its second state rather than established: the same lookup, state update and timeout
 * refresh), then flushes the zone. Its packets are N separate buffers; here 32 mbufs are
 * rewritten in place (the rewrite is timed, OVS's packet building is not), and batches are of
 * {@code --batch}.
 * With {@code --nat} every connection is committed with
 * {@code nat(src=192.0.2.1-192.0.2.4:1024-65535)} and replies and established packets carry a
 * bare {@code nat}: replies go to the translated address and port each connection was given (read
 * back from its committed packet, outside the timed loop's work), and are checked un-NATed.
 */
public final class CtBenchCommand {
    public static final Set<String> OPTIONS = Set.of("threads", "conns", "zones", "batch");
    public static final Set<String> FLAGS = Set.of("json", "nat");

    private CtBenchCommand() {
    }

    public static int run(String[] argv) throws Exception {
        Args args = Args.parse("ct-bench", argv, OPTIONS, FLAGS);
        int threads = args.intValue("threads", 1, 1, 64);
        int conns = args.intValue("conns", 1_000_000, 1, 50_000_000);
        int zones = args.intValue("zones", 1, 1, 65536);
        int batch = args.intValue("batch", 32, 1, 1024);
        boolean json = args.flag("json");
        boolean nat = args.flag("nat");
        if (conns > 65536L * 65535) {
            throw new Args.UsageException("ct-bench: --conns: at most " + 65536L * 65535);
        }
        // Warm-up on a tracker of its own, so the measured passes run compiled code: twice, so that
        // building connections in pooled objects is compiled too (the measured round does that).
        Conntrack warm = new Conntrack();
        for (int r = 0; r < 2; r++) {
            measure(warm, threads, Math.min(conns, 200_000), zones, batch, nat);
            warm.flush(-1);
        }
        warm = null;
        System.gc();
        Conntrack ct = new Conntrack();
        ct.config().maxConns(Math.max(ct.config().maxConns(), conns));
        // The cold round: the heap and the connection pool grow. Then the measured one, at steady size.
        Figures cold = measure(ct, threads, conns, zones, batch, nat);
        flush(ct, cold);
        Figures f = measure(ct, threads, conns, zones, batch, nat);
        flush(ct, f);
        f.cold = cold;
        if (f.problem == null) {
            f.problem = cold.problem;
        }
        System.out.println(json ? f.toJson() : f.toText());
        return f.problem == null ? 0 : 1;
    }

    /** Flushes zone 0, timed into {@code f}, then every other zone's connections (untimed). */
    private static void flush(Conntrack ct, Figures f) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        long c0 = mx.getCurrentThreadCpuTime();
        f.flushed = ct.flush(0);
        f.flushZoneMs = (System.nanoTime() - t0) / 1e6;
        f.flushZoneCpuMs = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
        ct.flush(-1);
    }

    static final class Figures {
        int threads;
        int conns;
        int zones;
        int batch;
        boolean nat;
        double setupsPerSec;
        double repliesPerSec;
        double establishedLookupsPerSec;
        double flushZoneMs;
        double flushZoneCpuMs;
        double setupsPerSecWall;
        double establishedLookupsPerSecWall;
        double cpuNsPerSetup;
        double cpuNsPerReply;
        double cpuNsPerEstablished;
        int flushed;
        double bytesPerConnection;
        double heapBytesPerEstablishedPacket;
        double processCpuNsPerSetup;
        double processCpuNsPerEstablished;
        String problem;
        /** The cold round's figures (in the measured round's). */
        Figures cold;

        String toJson() {
            Json j = new Json().put("threads", threads).put("conns", conns).put("zones", zones).put("batch", batch)
                    .put("nat", nat)
                    .put("setupsPerSec", Math.round(setupsPerSec)).put("repliesPerSec", Math.round(repliesPerSec))
                    .put("establishedLookupsPerSec", Math.round(establishedLookupsPerSec))
                    .put("flushZoneMs", round(flushZoneMs)).put("flushZoneCpuMs", round(flushZoneCpuMs))
                    .put("flushedConnections", flushed)
                    .put("setupsPerSecWall", Math.round(setupsPerSecWall))
                    .put("establishedLookupsPerSecWall", Math.round(establishedLookupsPerSecWall))
                    .put("cpuNsPerSetup", round(cpuNsPerSetup)).put("cpuNsPerReply", round(cpuNsPerReply))
                    .put("cpuNsPerEstablished", round(cpuNsPerEstablished))
                    .put("bytesPerConnection", round(bytesPerConnection))
                    .put("heapBytesPerEstablishedPacket", round(heapBytesPerEstablishedPacket))
                    .put("processCpuNsPerSetup", round(processCpuNsPerSetup))
                    .put("processCpuNsPerEstablished", round(processCpuNsPerEstablished));
            if (cold != null) {
                j.put("setupsPerSecCold", Math.round(cold.setupsPerSec))
                        .put("establishedLookupsPerSecCold", Math.round(cold.establishedLookupsPerSec))
                        .put("setupsPerSecWallCold", Math.round(cold.setupsPerSecWall))
                        .put("cpuNsPerSetupCold", round(cold.cpuNsPerSetup))
                        .put("cpuNsPerEstablishedCold", round(cold.cpuNsPerEstablished))
                        .put("processCpuNsPerSetupCold", round(cold.processCpuNsPerSetup))
                        .put("bytesPerConnectionCold", round(cold.bytesPerConnection))
                        .put("flushZoneMsCold", round(cold.flushZoneMs));
            }
            if (problem != null) {
                j.put("problem", problem);
            }
            return j.toString();
        }

        String toText() {
            return String.format(Locale.ROOT, "ct-bench: %d thread(s), %d connections, %d zone(s), batch %d%s"
                    + " (rates per thread-CPU-second; wall-clock in brackets)%n"
                    + "  setup:       %.2f M connections/s [%.2f] %.0f CPU ns each, %.0f heap bytes per connection%n"
                    + "  replies:     %.2f M packets/s, %.0f CPU ns each%n"
                    + "  established: %.2f M lookups/s [%.2f] %.0f CPU ns each, %.3f heap bytes per packet%n"
                    + "  flush zone 0: %d connections in %.1f ms (%.1f CPU ms)%n"
                    + "  whole process: %.0f CPU ns per setup, %.0f per established packet%n"
                    + "  cold round (heap and pool growing): setup %.2f M/s [%.2f] %.0f CPU ns (process %.0f),"
                    + " %.0f heap bytes per connection; established %.2f M/s%s", threads, conns, zones, batch,
                    nat ? ", SNAT" : "",
                    setupsPerSec / 1e6, setupsPerSecWall / 1e6, cpuNsPerSetup, bytesPerConnection,
                    repliesPerSec / 1e6, cpuNsPerReply, establishedLookupsPerSec / 1e6,
                    establishedLookupsPerSecWall / 1e6, cpuNsPerEstablished, heapBytesPerEstablishedPacket, flushed,
                    flushZoneMs, flushZoneCpuMs, processCpuNsPerSetup, processCpuNsPerEstablished,
                    cold.setupsPerSec / 1e6, cold.setupsPerSecWall / 1e6, cold.cpuNsPerSetup,
                    cold.processCpuNsPerSetup, cold.bytesPerConnection, cold.establishedLookupsPerSec / 1e6,
                    problem == null ? "" : String.format("%n  PROBLEM: %s", problem));
        }

        private static double round(double v) {
            return Math.round(v * 1000) / 1000.0;
        }
    }

    private static Figures measure(Conntrack ct, int threads, int conns, int zones, int batch, boolean nat)
            throws Exception {
        Worker[] workers = new Worker[threads];
        // Where every worker meets (before each phase and after the last): the process's CPU time then.
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] processCpuNs = new long[4];
        int[] meeting = new int[1];
        CyclicBarrier barrier = new CyclicBarrier(threads, () -> processCpuNs[meeting[0]++] = os.getProcessCpuTime());
        long nowMs = System.nanoTime() / 1_000_000L;
        MbufPool pool = MbufPool.create(MbufPoolConfig.of("ct-bench", 2 * batch * threads + 8).withCacheSize(0));
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) conns * t / threads);
            int to = (int) ((long) conns * (t + 1) / threads);
            workers[t] = new Worker(ct, pool, batch, zones, from, to, barrier, nat, nowMs);
            ts[t] = new Thread(workers[t], "ct-bench-" + t);
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        Figures f = new Figures();
        f.threads = threads;
        f.conns = conns;
        f.zones = zones;
        f.batch = batch;
        f.nat = nat;
        long[] worst = new long[3];
        long[] cpu = new long[3];
        long setupBytes = 0;
        long estBytes = 0;
        for (Worker w : workers) {
            for (int p = 0; p < 3; p++) {
                worst[p] = Math.max(worst[p], w.phaseNs[p]);
                cpu[p] += w.cpuNs[p];
            }
            setupBytes += w.setupBytes;
            estBytes += w.estBytes;
            if (w.problem != null && f.problem == null) {
                f.problem = w.problem;
            }
        }
        // On a shared, loaded machine wall time counts other processes' time; CPU time does not.
        f.cpuNsPerSetup = (double) cpu[0] / conns;
        f.cpuNsPerReply = (double) cpu[1] / conns;
        f.cpuNsPerEstablished = (double) cpu[2] / conns;
        f.setupsPerSec = threads * 1e9 / f.cpuNsPerSetup;
        f.repliesPerSec = threads * 1e9 / f.cpuNsPerReply;
        f.establishedLookupsPerSec = threads * 1e9 / f.cpuNsPerEstablished;
        f.setupsPerSecWall = conns / (worst[0] / 1e9);
        f.establishedLookupsPerSecWall = conns / (worst[2] / 1e9);
        f.bytesPerConnection = (double) setupBytes / conns;
        f.heapBytesPerEstablishedPacket = (double) estBytes / conns;
        f.processCpuNsPerSetup = (double) (processCpuNs[1] - processCpuNs[0]) / conns;
        f.processCpuNsPerEstablished = (double) (processCpuNs[3] - processCpuNs[2]) / conns;
        if (ct.connectionCount() != conns && f.problem == null) {
            f.problem = "table holds " + ct.connectionCount() + " connections, expected " + conns;
        }
        pool.close();
        return f;
    }

    /** One thread's share of connections, with its own mbufs and tracker context. */
    private static final class Worker implements Runnable {
        private static final int SPORT = 34; // offsets in an untagged IPv4/UDP frame
        private static final int DPORT = 36;
        private static final int UDP_CSUM = 40;
        private static final int IP_SRC = 26;
        private static final int IP_DST = 30;
        private static final int ORIG_SRC = 0x0a000001;
        private static final int NAT_MIN = 0xc0000201;

        private final Conntrack ct;
        private final CtContext ctx;
        private final Mbuf[] orig;
        private final Mbuf[] reply;
        private final int zones;
        private final int from;
        private final int to;
        private final CyclicBarrier barrier;
        private final NatParams snat;
        private final NatParams bare;
        /** The one clock reading every packet is tracked at. */
        private final long nowMs;
        /** Per connection of this worker (with --nat): the source address and port NAT gave it. */
        private final int[] natAddr;
        private final short[] natPort;
        final long[] phaseNs = new long[3];
        final long[] cpuNs = new long[3];
        long setupBytes;
        long estBytes;
        String problem;

        Worker(Conntrack ct, MbufPool pool, int batch, int zones, int from, int to, CyclicBarrier barrier,
                boolean nat, long nowMs) {
            this.ct = ct;
            this.nowMs = nowMs;
            this.snat = nat ? new NatParams().set(NatParams.SRC, false, true, 0, NAT_MIN & 0xffff_ffffL, 0,
                    (NAT_MIN + 3) & 0xffff_ffffL, 1024, 65535) : null;
            this.bare = nat ? new NatParams().bare() : null;
            this.natAddr = nat ? new int[to - from] : null;
            this.natPort = nat ? new short[to - from] : null;
            this.ctx = ct.newContext();
            this.zones = zones;
            this.from = from;
            this.to = to;
            this.barrier = barrier;
            orig = frames(pool, batch, Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1, 1).size(64).build());
            reply = frames(pool, batch, Frames.udp4().ip("10.0.0.2", "10.0.0.1").ports(1, 1).size(64).build());
        }

        private static Mbuf[] frames(MbufPool pool, int n, byte[] frame) {
            Mbuf[] out = new Mbuf[n];
            for (int i = 0; i < n; i++) {
                Mbuf m = pool.get();
                m.copyFrom(frame, 0, frame.length);
                m.headerOffsets(0, 14, 34);
                m.buffer().putShort(m.dataOffset() + UDP_CSUM, (short) 0);
                out[i] = m;
            }
            return out;
        }

        @Override
        public void run() {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            try {
                barrier.await();
                long b0 = mx.getCurrentThreadAllocatedBytes();
                long c0 = mx.getCurrentThreadCpuTime();
                phaseNs[0] = pass(orig, false, Conntrack.COMMIT, CtState.NEW | CtState.TRK
                        | (snat != null ? CtState.SNAT : 0), snat);
                cpuNs[0] = mx.getCurrentThreadCpuTime() - c0;
                setupBytes = mx.getCurrentThreadAllocatedBytes() - b0;
                barrier.await();
                long c1 = mx.getCurrentThreadCpuTime();
                // A reply is un-SNATed: OVS marks that as the reverse translation, dnat.
                phaseNs[1] = pass(reply, true, 0, CtState.EST | CtState.RPL | CtState.TRK
                        | (snat != null ? CtState.DNAT : 0), bare);
                cpuNs[1] = mx.getCurrentThreadCpuTime() - c1;
                barrier.await();
                long b2 = mx.getCurrentThreadAllocatedBytes();
                long c2 = mx.getCurrentThreadCpuTime();
                phaseNs[2] = pass(orig, false, 0, CtState.EST | CtState.TRK | (snat != null ? CtState.SNAT : 0), bare);
                cpuNs[2] = mx.getCurrentThreadCpuTime() - c2;
                estBytes = mx.getCurrentThreadAllocatedBytes() - b2;
                barrier.await();
            } catch (Exception e) {
                problem = e.toString();
            }
        }

        /** One packet per connection of this worker, a batch at a time; returns the nanoseconds taken. */
        private long pass(Mbuf[] ms, boolean swap, int flags, int expect, NatParams nat) {
            int n = ms.length;
            long start = System.nanoTime();
            for (int base = from; base < to; base += n) {
                int k = Math.min(n, to - base);
                for (int j = 0; j < k; j++) {
                    int c = base + j;
                    Mbuf m = ms[j];
                    int sport = 1024 + (c & 0x7fff);
                    int dport = 1 + (c >>> 15);
                    int off = m.dataOffset();
                    m.buffer().putShort(off + SPORT, (short) (swap ? dport : sport), java.nio.ByteOrder.BIG_ENDIAN);
                    m.buffer().putShort(off + DPORT, (short) (swap ? sport : dport), java.nio.ByteOrder.BIG_ENDIAN);
                    if (nat != null) {
                        // NAT rewrote the last packet in place: put back this one's addresses.
                        m.buffer().putInt(off + (swap ? IP_DST : IP_SRC), ORIG_SRC, java.nio.ByteOrder.BIG_ENDIAN);
                        m.buffer().putShort(off + 24, (short) 0, java.nio.ByteOrder.BIG_ENDIAN);
                        if (swap) {
                            m.buffer().putInt(off + IP_DST, natAddr[c - from], java.nio.ByteOrder.BIG_ENDIAN);
                            m.buffer().putShort(off + DPORT, natPort[c - from], java.nio.ByteOrder.BIG_ENDIAN);
                        }
                        m.buffer().putShort(off + 24, ipChecksum(m), java.nio.ByteOrder.BIG_ENDIAN);
                    }
                }
                long now = nowMs;
                if (zones == 1) {
                    // One zone: the batch is one ct action's batch, as the datapath hands it over.
                    ct.executeBatch(ctx, ms, k, 0, flags, 0, 0, 0, 0, 0, 0, nat, CtAlg.NONE, now);
                } else {
                    for (int j = 0; j < k; j++) {
                        int c = base + j;
                        ct.execute(ctx, ms[j], c % zones, flags, 0, 0, 0, 0, 0, 0, nat, now);
                    }
                }
                if (nat == snat && snat != null) {
                    for (int j = 0; j < k; j++) {
                        int off = ms[j].dataOffset();
                        natAddr[base + j - from] = ms[j].buffer().getInt(off + IP_SRC, java.nio.ByteOrder.BIG_ENDIAN);
                        natPort[base + j - from] = ms[j].buffer().getShort(off + SPORT, java.nio.ByteOrder.BIG_ENDIAN);
                    }
                }
                for (int j = 0; j < k; j++) {
                    if (ms[j].ctState() != expect && problem == null) {
                        problem = "connection " + (base + j) + ": ct_state 0x" + Integer.toHexString(ms[j].ctState())
                                + ", expected 0x" + Integer.toHexString(expect);
                    }
                }
            }
            return System.nanoTime() - start;
        }

        /** The IPv4 header checksum of {@code m} (its checksum field zero). */
        private static short ipChecksum(Mbuf m) {
            int sum = 0;
            for (int i = 0; i < 20; i += 2) {
                sum += m.buffer().getShort(m.dataOffset() + 14 + i, java.nio.ByteOrder.BIG_ENDIAN) & 0xffff;
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xffff) + (sum >>> 16);
            }
            return (short) ~sum;
        }
    }
}
