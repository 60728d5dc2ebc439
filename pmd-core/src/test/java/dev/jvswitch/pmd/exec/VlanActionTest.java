package dev.jvswitch.pmd.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.stats.DropReason;

/** push_vlan / pop_vlan byte for byte, and the header offsets they leave behind. */
class VlanActionTest {
    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("vlan-test", 32).withCacheSize(0));
    private final MbufCache cache = pool.newCache();
    private final RecordingContext ctx = new RecordingContext(cache);
    private final ActionExecutor executor = new ActionExecutor();
    private final PacketBatch batch = new PacketBatch();

    @AfterEach
    void noLeaks() {
        cache.flush();
        pool.releaseCache(cache);
        pool.checkNoLeaks();
        pool.close();
    }

    private RecordingContext.Sent run(TestFrame.Frame frame, String program) {
        ctx.sent.clear();
        batch.add(frame.load(cache));
        executor.execute(DpActions.parse(program), batch, ctx);
        assertThat(ctx.outputs(1)).hasSize(1);
        return ctx.outputs(1).get(0);
    }

    private static void assertSameFrame(RecordingContext.Sent out, TestFrame.Frame expected) {
        assertThat(out.bytes()).isEqualTo(expected.bytes());
        assertThat(out.l2()).isEqualTo(expected.l2());
        assertThat(out.l3()).isEqualTo(expected.l3());
        assertThat(out.l4()).isEqualTo(expected.l4());
    }

    @Test
    void pushInsertsTheTagAfterTheAddresses() {
        TestFrame.Frame plain = TestFrame.ipv4(TestFrame.TCP).build();
        RecordingContext.Sent out = run(plain, "push_vlan(vid=10,pcp=5),1");
        // On the wire the CFI bit that marks the action's TCI as present is clear.
        assertSameFrame(out, TestFrame.ipv4(TestFrame.TCP).vlan(0x8100, 10 | 5 << 13).build());
        assertThat(out.l3()).isEqualTo(18);

        RecordingContext.Sent noCfi = run(plain, "push_vlan(vid=4095,pcp=7,cfi=0),1");
        assertSameFrame(noCfi, TestFrame.ipv4(TestFrame.TCP).vlan(0x8100, 0xefff).build());
    }

    @Test
    void pushOnATaggedFrameAddsTheOuterTag() {
        TestFrame.Frame inner = TestFrame.ipv6(TestFrame.UDP).vlan(0x8100, 200).build();
        RecordingContext.Sent out = run(inner, "push_vlan(tpid=0x88a8,vid=100,pcp=0),1");
        assertSameFrame(out, TestFrame.ipv6(TestFrame.UDP).vlan(0x88a8, 100).vlan(0x8100, 200).build());
    }

    @Test
    void popRemovesTheOutermostTagOnly() {
        TestFrame.Frame tagged = TestFrame.ipv4(TestFrame.UDP).vlan(0x8100, 300).build();
        assertSameFrame(run(tagged, "pop_vlan,1"), TestFrame.ipv4(TestFrame.UDP).build());
        TestFrame.Frame qinq = TestFrame.ipv4(TestFrame.UDP).vlan(0x88a8, 1).vlan(0x8100, 2).build();
        assertSameFrame(run(qinq, "pop_vlan,1"), TestFrame.ipv4(TestFrame.UDP).vlan(0x8100, 2).build());
        assertSameFrame(run(qinq, "pop_vlan,pop_vlan,1"), TestFrame.ipv4(TestFrame.UDP).build());
    }

    @Test
    void popOnAnUntaggedFrameDoesNothing() {
        TestFrame.Frame plain = TestFrame.ipv4(TestFrame.TCP).build();
        assertSameFrame(run(plain, "pop_vlan,1"), plain);
    }

    @Test
    void setsAfterAPushFindTheMovedHeaders() {
        TestFrame.Frame plain = TestFrame.ipv4(TestFrame.TCP).build();
        RecordingContext.Sent out = run(plain, "push_vlan(vid=10,pcp=0),set(ipv4(dst=10.0.0.9)),set(tcp(dst=99)),1");
        assertThat(PacketChecks.problems(out.bytes())).isEmpty();
        assertThat(out.bytes()[out.l3() + 19]).isEqualTo((byte) 9);
        assertThat(PacketChecks.u16(out.bytes(), out.l4() + 2)).isEqualTo(99);
        RecordingContext.Sent swapped = run(TestFrame.ipv4(TestFrame.TCP).vlan(0x8100, 200).build(),
                "pop_vlan,push_vlan(vid=7,pcp=0),1");
        assertSameFrame(swapped, TestFrame.ipv4(TestFrame.TCP).vlan(0x8100, 7).build());
    }

    @Test
    void bytesBeforeTheEthernetHeaderStayInFront() {
        TestFrame.Frame plain = TestFrame.ipv4(TestFrame.UDP).build();
        TestFrame.Frame tagged = TestFrame.ipv4(TestFrame.UDP).vlan(0x8100, 5).build();
        for (int prefix = 1; prefix <= 9; prefix++) { // every mix of 8-, 4- and 1-byte moves
            TestFrame.Frame prefixedPlain = prefixed(plain, prefix);
            TestFrame.Frame prefixedTagged = prefixed(tagged, prefix);
            assertSameFrame(run(prefixedPlain, "push_vlan(vid=5,pcp=0),1"), prefixedTagged);
            assertSameFrame(run(prefixedTagged, "pop_vlan,1"), prefixedPlain);
        }
    }

    private static TestFrame.Frame prefixed(TestFrame.Frame f, int prefix) {
        byte[] b = new byte[f.bytes().length + prefix];
        for (int i = 0; i < prefix; i++) {
            b[i] = (byte) (0x90 + i);
        }
        System.arraycopy(f.bytes(), 0, b, prefix, f.bytes().length);
        return new TestFrame.Frame(b, prefix, f.l3() + prefix, f.l4() + prefix);
    }

    @Test
    void pushDropsRuntsAndPacketsWithoutHeadroom() {
        TestFrame.Frame plain = TestFrame.ipv4(TestFrame.TCP).build();
        batch.add(new TestFrame.Frame(new byte[10], 0, -1, -1).load(cache));
        executor.execute(DpActions.parse("push_vlan(vid=1,pcp=0),1"), batch, ctx);
        assertThat(ctx.drops[DropReason.MALFORMED.id()]).isEqualTo(1);

        MbufPool bare = MbufPool.create(MbufPoolConfig.of("vlan-no-headroom", 4).withDataRoom(2048, 0).withCacheSize(0));
        MbufCache bareCache = bare.newCache();
        RecordingContext bareCtx = new RecordingContext(bareCache);
        try {
            batch.add(plain.load(bareCache));
            batch.add(plain.load(bareCache));
            executor.execute(DpActions.parse("push_vlan(vid=1,pcp=0),1"), batch, bareCtx);
            assertThat(bareCtx.drops[DropReason.NO_HEADROOM.id()]).isEqualTo(2);
            assertThat(bareCtx.outputs(1)).isEmpty();
        } finally {
            bareCache.flush();
            bare.releaseCache(bareCache);
            bare.checkNoLeaks();
            bare.close();
        }
    }
}
