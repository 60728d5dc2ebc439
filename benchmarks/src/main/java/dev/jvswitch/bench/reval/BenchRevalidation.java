package dev.jvswitch.bench.reval;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.ofproto.revalidate.RevalidateResult;
import dev.jvswitch.ofproto.revalidate.Revalidation;
import dev.jvswitch.pmd.flow.Ukey;
import dev.jvswitch.pmd.upcall.UpcallHandler;
import dev.jvswitch.pmd.upcall.UpcallOutcome;
import dev.jvswitch.pmd.upcall.UpcallResult;

/**
 * A stand-in slow path for the revalidation benchmark, costed like a small real one: a
 * translation looks at in_port, the IPv4 source and the transport source port (one megaflow per
 * generated flow), and revalidation rebuilds the masked key and mask, translates again and
 * compares the actions. {@link #churn} makes every cycle bump the version, so the revalidators
 * revalidate every flow continuously (the worst case).
 *
 * <p><b>Thread-safety:</b> the version is atomic; revalidation works in a per-thread scratch
 * key and masks (it allocates nothing); everything else is immutable or a {@link LongAdder}.
 */
final class BenchRevalidation implements Revalidation, UpcallHandler {
    private final AtomicLong seq = new AtomicLong(1);
    private final LongAdder pushedPackets = new LongAdder();
    private final DpActions actions;
    private final int inPort;
    volatile boolean churn;

    BenchRevalidation(int inPort, int outPort) {
        this.inPort = inPort;
        this.actions = DpActions.builder().output(outPort).build();
    }

    /** The mask every flow of this slow path has (without in_port and recirc_id, which the datapath adds). */
    static FlowMask mask() {
        return new FlowMask().exact(FlowField.IN_PORT).exact(FlowField.NW_SRC).exact(FlowField.TP_SRC)
                .exact(FlowField.RECIRC_ID);
    }

    private DpActions translate(FlowKey key, FlowMask mask) {
        mask.exact(FlowField.IN_PORT).exact(FlowField.NW_SRC).exact(FlowField.TP_SRC);
        return key.get(FlowField.IN_PORT) == inPort ? actions : DpActions.DROP;
    }

    @Override
    public UpcallOutcome onUpcall(int pmdId, FlowKey key, Mbuf packet, UpcallResult result) {
        long version = seq.get();
        result.actions(translate(key, result.mask()));
        result.revalSeq(version);
        return UpcallOutcome.OK;
    }

    @Override
    public long revalSeq() {
        return seq.get();
    }

    @Override
    public RevalidateResult revalidate(Ukey ukey) {
        Scratch sc = scratch.get();
        ukey.flow().copyMaskedKeyTo(sc.key);
        ukey.flow().copyMaskTo(sc.had);
        sc.needs.clear();
        DpActions a = translate(sc.key, sc.needs);
        long[] needs = sc.needs.words();
        long[] had = sc.had.words();
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if ((needs[i] & ~had[i]) != 0) {
                return RevalidateResult.DELETE;
            }
        }
        return a.equals(ukey.flow().actions()) ? RevalidateResult.KEEP : RevalidateResult.modify(a);
    }

    /** Per-revalidator-thread key and masks, so revalidation allocates nothing. */
    private static final class Scratch {
        final FlowKey key = new FlowKey();
        final FlowMask had = new FlowMask();
        final FlowMask needs = new FlowMask();
    }

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    @Override
    public void pushStats(Ukey ukey, long packetsDelta, long bytesDelta, long usedMs, int tcpFlags) {
        pushedPackets.add(packetsDelta);
    }

    @Override
    public void onCycleEnd(long nowMs) {
        if (churn) {
            bump();
        }
    }

    /** A table change: every flow is revalidated in the next cycle. */
    long bump() {
        return seq.incrementAndGet();
    }

    long pushedPackets() {
        return pushedPackets.sum();
    }
}
