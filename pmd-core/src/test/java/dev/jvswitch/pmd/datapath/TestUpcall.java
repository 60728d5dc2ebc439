package dev.jvswitch.pmd.datapath;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.pmd.upcall.UpcallHandler;
import dev.jvswitch.pmd.upcall.UpcallOutcome;
import dev.jvswitch.pmd.upcall.UpcallResult;

/**
 * A test slow path: actions chosen by a function of the key, the megaflow unwildcarding the given
 * fields, and a count of upcalls.
 */
final class TestUpcall implements UpcallHandler {
    final AtomicInteger upcalls = new AtomicInteger();
    private final Function<FlowKey, DpActions> actions;
    private final FlowField[] matched;

    TestUpcall(Function<FlowKey, DpActions> actions, FlowField... matched) {
        this.actions = actions;
        this.matched = matched;
    }

    /** in_port 1 → port 2, matching also the given fields. */
    static TestUpcall forward(int out, FlowField... matched) {
        return new TestUpcall(k -> DpActions.builder().output(out).build(), matched);
    }

    @Override
    public UpcallOutcome onUpcall(int pmdId, FlowKey key, Mbuf packet, UpcallResult result) {
        upcalls.incrementAndGet();
        DpActions a = actions.apply(key);
        if (a == null) {
            return UpcallOutcome.FAILED;
        }
        for (FlowField f : matched) {
            result.mask().exact(f);
        }
        result.actions(a);
        return UpcallOutcome.OK;
    }
}
