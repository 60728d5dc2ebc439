package dev.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;

/**
 * Readers look up while a writer publishes: every version a reader gets is complete (version v
 * holds exactly the rules 1..v, so its best match has priority v) and versions never go back.
 */
class ConcurrentPublishTest {
    private static final int VERSIONS = 3000;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void readersSeeWholeVersionsInOrder() throws InterruptedException {
        OfTablesHolder holder = new OfTablesHolder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] readers = new Thread[2];
        for (int t = 0; t < readers.length; t++) {
            readers[t] = new Thread(() -> {
                try {
                    FlowKey k = new FlowKey().set(FlowField.ETH_TYPE, 0x0800).set(FlowField.IN_PORT, 1);
                    FlowMask wc = new FlowMask();
                    long last = -1;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
                    while (last < VERSIONS && System.nanoTime() < deadline) {
                        OfTables s = holder.current();
                        assertThat(s.version()).isGreaterThanOrEqualTo(last);
                        last = s.version();
                        Rule r = s.lookup(0, k, wc);
                        assertThat(r == null ? 0 : r.priority()).isEqualTo((int) s.version());
                        assertThat(s.ruleCount()).isEqualTo((int) s.version());
                    }
                    assertThat(last).isEqualTo(VERSIONS);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            readers[t].start();
        }
        for (int v = 1; v <= VERSIONS; v++) {
            // Each rule has its own mask (a different in_port prefix), so versions differ in subtables too.
            Match m = Match.builder().set(FlowField.IN_PORT, 1, 0xffffffffL >>> (v % 32))
                    .set(FlowField.ETH_TYPE, 0x0800, v % 2 == 0 ? 0xffff : 0).buildUnchecked();
            holder.addFlow(Rule.builder().priority(v).match(m).actions(List.of(new OfAction.Output(1))).build());
        }
        for (Thread r : readers) {
            r.join(TimeUnit.SECONDS.toMillis(55));
        }
        assertThat(failure.get()).isNull();
        assertThat(holder.revalSeq()).isEqualTo(VERSIONS);
    }
}
