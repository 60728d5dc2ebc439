package dev.jvswitch.pmd.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.actions.DropCause;
import dev.jvswitch.flowcache.hash.FlowHash;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.stats.DropReason;
import dev.jvswitch.pmd.tunnel.TunnelOps;

/** Ownership, copies, clone, recirc, hash and tunnel dispatch of the executor. */
class ActionExecutorTest {
    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("exec-test", 256).withCacheSize(0));
    private final MbufCache cache = pool.newCache();
    private final RecordingContext ctx = new RecordingContext(cache);
    private final ActionExecutor executor = new ActionExecutor();
    private final PacketBatch batch = new PacketBatch();
    private final TestFrame.Frame udp = TestFrame.ipv4(TestFrame.UDP).build();

    @AfterEach
    void noLeaks() {
        assertThat(batch.isEmpty()).isTrue();
        cache.flush();
        pool.releaseCache(cache);
        pool.checkNoLeaks();
        pool.close();
    }

    private Mbuf[] fill(int n, TestFrame.Frame frame) {
        Mbuf[] in = new Mbuf[n];
        for (int i = 0; i < n; i++) {
            in[i] = frame.load(cache);
            in[i].rssHash(0x1000 + i);
            batch.add(in[i]);
        }
        return in;
    }

    private void run(String program) {
        run(DpActions.parse(program));
    }

    private void run(DpActions program) {
        executor.execute(program, batch, ctx);
    }

    @Test
    void lastOutputHandsOverTheOriginals() {
        Mbuf[] in = fill(3, udp);
        run("2");
        List<RecordingContext.Sent> out = ctx.outputs(2);
        assertThat(out).extracting(RecordingContext.Sent::mbuf).containsExactly(in);
        assertThat(out).allSatisfy(s -> assertThat(s.bytes()).isEqualTo(udp.bytes()));
        assertThat(ctx.dropCount()).isZero();
    }

    @Test
    void earlierOutputsSendCopies() {
        Mbuf[] in = fill(2, udp);
        run("2,3");
        List<RecordingContext.Sent> copies = ctx.outputs(2);
        assertThat(copies).hasSize(2);
        assertThat(copies).extracting(RecordingContext.Sent::mbuf).doesNotContain(in);
        assertThat(copies).allSatisfy(s -> {
            assertThat(s.bytes()).isEqualTo(udp.bytes());
            assertThat(s.l3()).isEqualTo(udp.l3());
            assertThat(s.l4()).isEqualTo(udp.l4());
        });
        assertThat(ctx.outputs(3)).extracting(RecordingContext.Sent::mbuf).containsExactly(in);
        // Copies go out before the originals: action order.
        assertThat(ctx.sent.get(0).port()).isEqualTo(2);
        assertThat(ctx.sent.get(2).port()).isEqualTo(3);
    }

    @Test
    void packetsLeftAtTheEndAreFreedAndCounted() {
        fill(2, udp);
        run("2,set(ipv4(ttl=1))");
        assertThat(ctx.outputs(2)).hasSize(2);
        assertThat(ctx.drops[DropReason.END_OF_ACTIONS.id()]).isEqualTo(2);
        assertThat(ctx.dropCount()).isEqualTo(2);
    }

    @Test
    void dropAndEmptyProgramsDropWithTheActionReason() {
        fill(3, udp);
        executor.execute(DpActions.builder().build(), batch, ctx);
        fill(1, udp);
        run("2,drop");
        assertThat(ctx.drops[DropReason.ACTION.id()]).isEqualTo(4);
        assertThat(ctx.outputs(2)).hasSize(1);
        assertThat(ctx.dropCount()).isEqualTo(4);
    }

    @Test
    void anEmptyPoolMeansNoCopyButTheOriginalCarriesOn() {
        MbufPool small = MbufPool.create(MbufPoolConfig.of("exec-small", 3).withCacheSize(0));
        MbufCache smallCache = small.newCache();
        RecordingContext smallCtx = new RecordingContext(smallCache);
        try {
            Mbuf[] in = new Mbuf[3];
            for (int i = 0; i < 3; i++) {
                in[i] = udp.load(smallCache);
                batch.add(in[i]);
            }
            executor.execute(DpActions.parse("2,clone(4),3"), batch, smallCtx);
            assertThat(smallCtx.outputs(2)).isEmpty();
            assertThat(smallCtx.outputs(4)).isEmpty();
            assertThat(smallCtx.outputs(3)).extracting(RecordingContext.Sent::mbuf).containsExactly(in);
            assertThat(smallCtx.drops[DropReason.NO_MBUF.id()]).isEqualTo(6);
        } finally {
            smallCache.flush();
            small.releaseCache(smallCache);
            small.checkNoLeaks();
            small.close();
        }
    }

    @Test
    void cloneRunsItsProgramOnCopies() {
        Mbuf[] in = fill(2, udp);
        run("clone(set(ipv4(dst=192.168.2.2)),2),3");
        assertThat(ctx.outputs(2)).hasSize(2).allSatisfy(s -> {
            assertThat(Arrays.copyOfRange(s.bytes(), udp.l3() + 16, udp.l3() + 20)).containsExactly(192, 168, 2, 2);
            assertThat(PacketChecks.problems(s.bytes())).isEmpty();
        });
        assertThat(ctx.outputs(3)).extracting(RecordingContext.Sent::mbuf).containsExactly(in);
        assertThat(ctx.outputs(3)).allSatisfy(s -> assertThat(s.bytes()).isEqualTo(udp.bytes()));
        assertThat(ctx.dropCount()).isZero();
    }

    @Test
    void cloneAsTheLastActionUsesTheOriginalsAndNestedClonesCopy() {
        Mbuf[] in = fill(2, udp);
        run("clone(clone(5),set(ipv4(ttl=9)),clone(6),4)");
        assertThat(ctx.outputs(4)).extracting(RecordingContext.Sent::mbuf).containsExactly(in);
        assertThat(ctx.outputs(4)).allSatisfy(s -> assertThat(s.bytes()[udp.l3() + 8]).isEqualTo((byte) 9));
        assertThat(ctx.outputs(5)).hasSize(2).allSatisfy(s -> assertThat(s.bytes()).isEqualTo(udp.bytes()));
        assertThat(ctx.outputs(6)).hasSize(2).allSatisfy(s -> assertThat(s.bytes()[udp.l3() + 8]).isEqualTo((byte) 9));
        assertThat(ctx.dropCount()).isZero();
    }

    @Test
    void cloneWithoutOutputFreesItsCopies() {
        fill(2, udp);
        run("clone(set(ipv4(ttl=9))),2");
        assertThat(ctx.outputs(2)).hasSize(2).allSatisfy(s -> assertThat(s.bytes()).isEqualTo(udp.bytes()));
        assertThat(ctx.drops[DropReason.END_OF_ACTIONS.id()]).isEqualTo(2);
    }

    @Test
    void recircSetsTheIdAndDepth() {
        Mbuf[] in = fill(2, udp);
        in[1].recircId(7);
        in[1].recircDepth(3);
        run("recirc(0x2a)");
        assertThat(ctx.recirculated()).extracting(RecordingContext.Sent::mbuf).containsExactly(in);
        assertThat(ctx.recirculated()).extracting(RecordingContext.Sent::recircId).containsExactly(0x2a, 0x2a);
        assertThat(ctx.recirculated()).extracting(RecordingContext.Sent::recircDepth).containsExactly(1, 4);
    }

    @Test
    void recircBeforeOtherActionsRecirculatesACopy() {
        Mbuf[] in = fill(1, udp);
        run("recirc(0x1),2");
        assertThat(ctx.recirculated()).hasSize(1);
        assertThat(ctx.recirculated().get(0).mbuf()).isNotSameAs(in[0]);
        assertThat(ctx.outputs(2).get(0).mbuf()).isSameAs(in[0]);
        assertThat(ctx.outputs(2).get(0).recircId()).isZero();
        assertThat(ctx.outputs(2).get(0).recircDepth()).isZero();
    }

    @Test
    void recircStopsAtTheDepthLimit() {
        Mbuf[] in = fill(3, udp);
        in[0].recircDepth(ActionExecutor.MAX_RECIRC_DEPTH - 1);
        in[1].recircDepth(ActionExecutor.MAX_RECIRC_DEPTH);
        in[2].recircDepth(ActionExecutor.MAX_RECIRC_DEPTH);
        run("recirc(0x5)");
        assertThat(ctx.recirculated()).extracting(RecordingContext.Sent::mbuf).containsExactly(in[0]);
        assertThat(ctx.recirculated().get(0).recircDepth()).isEqualTo(ActionExecutor.MAX_RECIRC_DEPTH);
        assertThat(ctx.drops[DropReason.RECIRC_DEPTH.id()]).isEqualTo(2);

        Mbuf[] deep = fill(1, udp);
        deep[0].recircDepth(ActionExecutor.MAX_RECIRC_DEPTH);
        run("recirc(0x5),2");
        assertThat(ctx.drops[DropReason.RECIRC_DEPTH.id()]).isEqualTo(3);
        assertThat(ctx.outputs(2)).extracting(RecordingContext.Sent::mbuf).containsExactly(deep);
    }

    @Test
    void hashStoresTheSharedDpHash() {
        Mbuf[] in = fill(4, udp);
        in[3].rssHash(0);
        run("hash(l4(0)),2");
        run2("hash(l4(3735928559)),3", 4);
        List<RecordingContext.Sent> first = ctx.outputs(2);
        for (int i = 0; i < 4; i++) {
            int rss = i == 3 ? 0 : 0x1000 + i;
            assertThat(first.get(i).dpHash()).isEqualTo(FlowHash.dpHash(rss, 0));
            assertThat(ctx.outputs(3).get(i).dpHash()).isEqualTo(FlowHash.dpHash(0x1000 + i, 0xdeadbeef));
        }
    }

    private void run2(String program, int n) {
        fill(n, udp);
        run(program);
    }

    @Test
    void tnlPushEncapsulatesInPlaceAndTheFollowingOutputsSend() {
        FakeTunnelOps vxlan = new FakeTunnelOps(50);
        ctx.tunnel(4, vxlan);
        byte[] template = DpActions.parse(VXLAN_PUSH).data(0);
        Mbuf[] in = fill(2, udp);
        // As OVS: the push in a clone for the copies, then the plain packet out of port 2.
        run("clone(" + VXLAN_PUSH + ",1),2");
        assertThat(vxlan.pushedHeaders).hasSize(2).allSatisfy(h -> assertThat(h).isEqualTo(template));
        assertThat(vxlan.ipIds).doesNotHaveDuplicates();
        assertThat(ctx.outputs(1)).hasSize(2).allSatisfy(s -> {
            assertThat(Arrays.copyOf(s.bytes(), 50)).isEqualTo(template);
            assertThat(Arrays.copyOfRange(s.bytes(), 50, s.bytes().length)).isEqualTo(udp.bytes());
        });
        assertThat(ctx.outputs(2)).extracting(RecordingContext.Sent::mbuf).containsExactly(in);
        assertThat(ctx.outputs(2)).allSatisfy(s -> assertThat(s.bytes()).isEqualTo(udp.bytes()));
        // Last: the originals themselves are pushed and sent; out_port alone sends nothing.
        fill(2, udp);
        run(VXLAN_PUSH + ",1");
        assertThat(ctx.outputs(1)).hasSize(4);
        fill(1, udp);
        run(VXLAN_PUSH);
        assertThat(ctx.outputs(1)).hasSize(4);
        assertThat(ctx.drops[DropReason.END_OF_ACTIONS.id()]).isEqualTo(1);
    }

    @Test
    void tnlPushFailuresDrop() {
        fill(2, udp);
        run(VXLAN_PUSH + ",1"); // port 4 is not a tunnel
        assertThat(ctx.drops[DropReason.TUNNEL.id()]).isEqualTo(2);
        FakeTunnelOps failing = new FakeTunnelOps(50);
        failing.fail = true;
        ctx.tunnel(4, failing);
        fill(2, udp);
        run("clone(" + VXLAN_PUSH + ",1),2");
        assertThat(ctx.drops[DropReason.TUNNEL.id()]).isEqualTo(4);
        assertThat(ctx.outputs(2)).hasSize(2);
        assertThat(ctx.outputs(1)).isEmpty();
    }

    @Test
    void tnlPushDropsWhatWouldExceedTheUnderlayMtu() {
        ctx.tunnel(4, new FakeTunnelOps(50));
        int frame = udp.bytes().length;
        // The outer IP packet is the frame + 36 bytes: it fits an MTU of frame + 36, not one less.
        ctx.mtu(1, frame + 36);
        fill(1, udp);
        run(VXLAN_PUSH + ",1");
        assertThat(ctx.outputs(1)).hasSize(1);
        ctx.mtu(1, frame + 35);
        fill(2, udp);
        run(VXLAN_PUSH + ",1");
        assertThat(ctx.outputs(1)).hasSize(1);
        assertThat(ctx.drops[DropReason.TUNNEL_MTU.id()]).isEqualTo(2);
    }

    @Test
    void tnlPopStripsAndRecirculatesWithTunnelMetadata() {
        FakeTunnelOps vxlan = new FakeTunnelOps(42);
        ctx.tunnel(7, vxlan);
        Mbuf[] in = fill(2, udp);
        in[0].inPort(1);
        in[0].recircId(3);
        in[1].inPort(1);
        run("tnl_pop(7)");
        assertThat(vxlan.pops).isEqualTo(2);
        List<RecordingContext.Sent> r = ctx.recirculated();
        assertThat(r).extracting(RecordingContext.Sent::mbuf).containsExactly(in);
        assertThat(r).allSatisfy(s -> {
            assertThat(s.inPort()).isEqualTo(7);
            assertThat(s.recircDepth()).isEqualTo(1);
            assertThat(s.tunnelId()).isEqualTo(FakeTunnelOps.POPPED_TUNNEL_ID);
            assertThat(s.tunnelIpv4Dst()).isEqualTo(FakeTunnelOps.POPPED_DST);
            assertThat(s.bytes()).isEqualTo(Arrays.copyOfRange(udp.bytes(), 42, udp.bytes().length));
        });
        assertThat(r).extracting(RecordingContext.Sent::recircId).containsExactly(3, 0);
    }

    @Test
    void tnlPopRefusesWhatItCannotPop() {
        FakeTunnelOps vxlan = new FakeTunnelOps(42);
        ctx.tunnel(7, vxlan);
        Mbuf[] in = fill(4, udp);
        in[0].headerOffsets(0, -1, -1);
        in[1].recircDepth(ActionExecutor.MAX_RECIRC_DEPTH);
        run("tnl_pop(7),tnl_pop(8)");
        // tnl_pop(7) works on copies: the copy of in[0] lacks L3/L4, the copy of in[1] is too deep.
        assertThat(ctx.drops[DropReason.MALFORMED.id()]).isEqualTo(1);
        assertThat(ctx.drops[DropReason.RECIRC_DEPTH.id()]).isEqualTo(1);
        // tnl_pop(8) is last and port 8 is not a tunnel: every original goes.
        assertThat(ctx.drops[DropReason.TUNNEL.id()]).isEqualTo(4);
        assertThat(ctx.recirculated()).hasSize(2);
        assertThat(vxlan.pops).isEqualTo(2);

        vxlan.fail = true;
        fill(1, udp);
        run("tnl_pop(7)");
        assertThat(ctx.drops[DropReason.TUNNEL_MALFORMED.id()]).isEqualTo(1);
        vxlan.popResult = TunnelOps.POP_BAD_CHECKSUM;
        fill(1, udp);
        run("tnl_pop(7)");
        assertThat(ctx.drops[DropReason.TUNNEL_BAD_CSUM.id()]).isEqualTo(1);
        vxlan.popResult = TunnelOps.POP_BAD_HEADER;
        fill(1, udp);
        run("tnl_pop(7)");
        assertThat(ctx.drops[DropReason.TUNNEL_BAD_HEADER.id()]).isEqualTo(1);
        assertThat(ctx.drops[DropReason.TUNNEL.id()]).isEqualTo(4);
    }

    @Test
    void aDropCountsUnderItsCause() {
        fill(2, udp);
        run(DpActions.builder().drop(DropCause.TUNNEL_NEIGH_MISS).build());
        assertThat(ctx.drops[DropReason.TUNNEL_NEIGH_MISS.id()]).isEqualTo(2);
        fill(1, udp);
        run("drop");
        assertThat(ctx.drops[DropReason.ACTION.id()]).isEqualTo(1);
    }

    @Test
    void dropReasonsHaveStableNames() {
        assertThat(DropReason.ACTION.reasonName()).isEqualTo("action_drop");
        assertThat(DropReason.NO_HEADROOM.reasonName()).isEqualTo("no_headroom");
        for (int r = 0; r < DropReason.count(); r++) {
            assertThat(DropReason.of(r).id()).isEqualTo(r);
            assertThat(DropReason.of(r).reasonName()).isNotBlank().doesNotStartWith("unknown");
        }
    }

    static final String VXLAN_PUSH = "tnl_push(tnl_port(4),header(size=50,type=4,eth(dst=aa:55:00:00:00:02,"
            + "src=aa:55:00:00:00:01,dl_type=0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,"
            + "frag=0x4000),udp(src=0,dst=4789,csum=0x0),vxlan(flags=0x8000000,vni=0x7b)),out_port(1))";
}
