package dev.jvswitch.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * The flat connection table against a plain map: random inserts, removals, zone flushes and
 * sweeps (which rebuild segments and leave tombstones) keep every live connection reachable under
 * both keys, each removed one gone, the counts right and a snapshot listing each connection once;
 * a pooled object built again names only its new connection; a retired object is not built again
 * while a reader that was inside when it was retired stays inside; and lookups on other threads
 * never miss a connection that stays while a writer churns (and objects are rebuilt under them).
 */
class ConnTableTest {
    private static final long FOREVER = Long.MAX_VALUE;

    private static CtKey key(int a, int b, int zone) {
        return new CtKey().set(0, 0x0a000000L | (a & 0xffffff), 0, 0x0b000000L | (b & 0xffffff),
                CtKey.meta(1000 + (a & 0x7fff), 53, zone, CtPacket.UDP, CtKey.FAMILY_IPV4));
    }

    /** A new connection built in an object the table hands out, and inserted. */
    private static Conn conn(ConnTable t, CtKey orig, CtKey reply, long expiry) {
        synchronized (t) {
            Conn c = t.claim().init(orig, reply, 1, 0, 0, 0);
            c.expirationMs = expiry;
            t.insert(c);
            return c;
        }
    }

    /** A key as a map key. */
    private static List<Long> id(CtKey k) {
        return List.of(k.srcHi(), k.srcLo(), k.dstHi(), k.dstLo(), k.meta());
    }

    @Test
    void randomChurnAgreesWithAMap() {
        for (long seed = 1; seed <= 4; seed++) {
            churn(new Random(seed), 60_000);
        }
    }

    private static void churn(Random r, int steps) {
        ConnTable t = new ConnTable();
        Map<List<Long>, Conn> byKey = new HashMap<>();
        List<Conn> live = new ArrayList<>();
        // Removed connections whose objects have not been built again (identity: objects are pooled).
        Set<Conn> gone = Collections.newSetFromMap(new IdentityHashMap<>());
        List<CtKey[]> keys = new ArrayList<>();
        long now = 1000;
        for (int step = 0; step < steps; step++) {
            int op = r.nextInt(100);
            if (op < 60) {
                int a = r.nextInt(1 << 14);
                CtKey orig = key(a, r.nextInt(64), r.nextInt(4));
                CtKey reply = switch (r.nextInt(10)) {
                    case 0 -> orig; // a connection to itself: both keys one
                    case 1 -> key(a + 1_000_000, 7, orig.zone()); // a translated reply
                    default -> new CtKey().reverseOf(orig);
                };
                if (byKey.containsKey(id(orig)) || byKey.containsKey(id(reply))) {
                    continue;
                }
                Conn c = conn(t, orig, reply, r.nextInt(20) == 0 ? now + 5 : FOREVER);
                gone.remove(c);
                byKey.put(id(orig), c);
                byKey.put(id(reply), c);
                live.add(c);
                keys.add(new CtKey[] {orig, reply});
            } else if (op < 95 && !live.isEmpty()) {
                int i = r.nextInt(live.size());
                Conn c = live.get(i);
                synchronized (t) {
                    t.remove(c);
                }
                forget(c, byKey, live, gone, keys, i);
            } else if (op < 97) {
                // A zone now and then holds every connection: its flush clears the whole table.
                int zone = live.stream().allMatch(c -> c.zone == 0) || r.nextInt(50) == 0 ? 0 : r.nextInt(4);
                int expected = (int) live.stream().filter(c -> c.zone == zone).count();
                assertThat(t.flush(zone)).isEqualTo(expected);
                for (int i = live.size() - 1; i >= 0; i--) {
                    if (live.get(i).zone == zone) {
                        forget(live.get(i), byKey, live, gone, keys, i);
                    }
                }
            } else {
                now += 10;
                long at = now;
                int expected = (int) live.stream().filter(c -> c.expired(at)).count();
                assertThat(t.sweep(now, Integer.MAX_VALUE)).isEqualTo(expected);
                for (int i = live.size() - 1; i >= 0; i--) {
                    if (live.get(i).expired(now)) {
                        forget(live.get(i), byKey, live, gone, keys, i);
                    }
                }
            }
            if (step % 5000 == 0 || step == steps - 1) {
                check(t, live, gone, keys, now);
            }
        }
    }

    private static void forget(Conn c, Map<List<Long>, Conn> byKey, List<Conn> live, Set<Conn> gone,
            List<CtKey[]> keys, int i) {
        CtKey[] k = keys.get(i);
        byKey.remove(id(k[0]));
        byKey.remove(id(k[1]));
        live.set(i, live.get(live.size() - 1));
        live.remove(live.size() - 1);
        keys.set(i, keys.get(keys.size() - 1));
        keys.remove(keys.size() - 1);
        gone.add(c);
    }

    private static void check(ConnTable t, List<Conn> live, Set<Conn> gone, List<CtKey[]> keys, long now) {
        assertThat(t.count()).isEqualTo(live.size());
        for (int i = 0; i < live.size(); i++) {
            Conn c = live.get(i);
            CtKey[] k = keys.get(i);
            assertThat(t.lookup(k[0], now)).isSameAs(c);
            assertThat(t.lookup(k[1], now)).isSameAs(c);
            assertThat(c.isReply(k[0])).isFalse();
            assertThat(c.isReply(k[1])).isEqualTo(k[1] != k[0]);
        }
        for (Conn c : gone) {
            assertThat(c.dead).isTrue();
        }
        List<Conn> snap = t.snapshot(-1, now);
        assertThat(snap).hasSize(live.size()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(live);
        int zone0 = (int) live.stream().filter(c -> c.zone == 0).count();
        assertThat(t.zoneCount(0)).isEqualTo(zone0);
        assertThat(t.snapshot(0, now)).hasSize(zone0);
    }

    @Test
    void growingToManyConnectionsAndFlushingThemShrinksEverySegmentBack() {
        ConnTable t = new ConnTable();
        int base = t.bucketCount();
        List<CtKey> origs = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            CtKey k = key(i, i >>> 14, 0);
            origs.add(k);
            conn(t, k, new CtKey().reverseOf(k), FOREVER);
        }
        assertThat(t.bucketCount()).as("slots for 400 000 keys at a load of 1/4 to 1/2")
                .isBetween(800_000, 1_700_000);
        for (int i = 0; i < origs.size(); i += 101) {
            assertThat(t.lookup(origs.get(i), 0)).isNotNull();
        }
        assertThat(t.flush(-1)).isEqualTo(200_000);
        assertThat(t.count()).isZero();
        assertThat(t.bucketCount()).as("tombstones swept out").isLessThanOrEqualTo(base * 4);
        assertThat(t.lookup(origs.get(0), 0)).isNull();
    }

    @Test
    void anIndexHandedOutAgainNamesOnlyItsNewConnection() {
        ConnTable t = new ConnTable();
        CtKey a = key(1, 1, 0);
        CtKey b = key(2, 2, 0);
        Conn ca = conn(t, a, new CtKey().reverseOf(a), FOREVER);
        int index = ca.index;
        synchronized (t) {
            t.remove(ca);
        }
        Conn cb = conn(t, b, new CtKey().reverseOf(b), FOREVER);
        assertThat(cb).as("no reader: the retired object is built again").isSameAs(ca);
        assertThat(cb.index).isEqualTo(index);
        assertThat(cb.dead).isFalse();
        assertThat(t.lookup(a, 0)).isNull();
        assertThat(t.lookup(new CtKey().reverseOf(a), 0)).isNull();
        assertThat(t.lookup(b, 0)).isSameAs(cb);
        assertThat(t.lookup(new CtKey().reverseOf(b), 0)).isSameAs(cb);
        // The old connection again (a new object for its key): a second index, both reachable.
        Conn ca2 = conn(t, a, new CtKey().reverseOf(a), FOREVER);
        assertThat(ca2.index).isNotEqualTo(cb.index);
        assertThat(t.lookup(a, 0)).isSameAs(ca2);
        assertThat(t.flush(-1)).isEqualTo(2);
        assertThat(t.lookup(b, 0)).isNull();
        assertThat(cb.dead).isTrue();
    }

    @Test
    void aRetiredObjectWaitsForTheReadersThatWereInside() {
        ConnTable t = new ConnTable();
        ConnRegistry.Reader pmd = t.newReader();
        ConnRegistry.Reader idle = t.newReader();
        CtKey a = key(1, 1, 0);
        Conn ca = conn(t, a, new CtKey().reverseOf(a), FOREVER);
        t.enter(pmd);
        assertThat(t.lookup(a, 0)).isSameAs(ca);
        synchronized (t) {
            t.remove(ca);
        }
        // The reader may still hold ca: new connections get other objects, however many.
        for (int i = 0; i < 3; i++) {
            CtKey k = key(10 + i, 2, 0);
            assertThat(conn(t, k, new CtKey().reverseOf(k), FOREVER)).isNotSameAs(ca);
        }
        assertThat(ca.dead).isTrue();
        assertThat(ca.matchesOrig(a)).as("kept as it was for the reader").isTrue();
        t.exit(pmd);
        t.enter(pmd); // inside again, but entered after the retirement: it cannot reach ca
        CtKey b = key(2, 2, 0);
        assertThat(conn(t, b, new CtKey().reverseOf(b), FOREVER)).isSameAs(ca);
        t.exit(pmd);
        assertThat(t.lookup(a, 0)).isNull();
        assertThat(t.lookup(b, 0)).isSameAs(ca);
        assertThat(idle.active).isZero();
    }

    @Test
    void lookupsOnOtherThreadsNeverMissAConnectionThatStays() throws Exception {
        ConnTable t = new ConnTable();
        int stable = 2_000;
        CtKey[] keys = new CtKey[stable];
        for (int i = 0; i < stable; i++) {
            keys[i] = key(i, 1, 1);
            conn(t, keys[i], new CtKey().reverseOf(keys[i]), FOREVER);
        }
        AtomicReference<String> miss = new AtomicReference<>();
        AtomicLong lookups = new AtomicLong();
        long deadline = System.nanoTime() + 3_000_000_000L;
        Thread writer = new Thread(() -> {
            Random r = new Random(7);
            List<Conn> churn = new ArrayList<>();
            for (int i = 0; i < 300_000 && System.nanoTime() < deadline && miss.get() == null; i++) {
                synchronized (t) {
                    if (churn.size() < 50_000 && (churn.isEmpty() || r.nextInt(3) != 0)) {
                        CtKey k = key(100_000 + i, 2, 2);
                        churn.add(conn(t, k, new CtKey().reverseOf(k), FOREVER));
                    } else {
                        Conn c = churn.remove(r.nextInt(churn.size()));
                        t.remove(c);
                    }
                }
            }
            synchronized (t) {
                for (Conn c : churn) {
                    t.remove(c);
                }
            }
        }, "ct-table-writer");
        Thread[] readers = new Thread[2];
        for (int n = 0; n < readers.length; n++) {
            int offset = n;
            ConnRegistry.Reader reader = t.newReader();
            readers[n] = new Thread(() -> {
                CtKey rev = new CtKey();
                for (int i = offset; System.nanoTime() < deadline && miss.get() == null && writer.isAlive(); i++) {
                    CtKey k = keys[i % stable];
                    t.enter(reader);
                    try {
                        Conn c = t.lookup(k, 0);
                        if (c == null || t.lookup(rev.reverseOf(k), 0) != c) {
                            miss.set("missed " + k);
                        } else if (!c.matchesOrig(k) || c.dead) {
                            miss.set("found " + k + " in an object built again under a reader");
                        }
                    } finally {
                        t.exit(reader);
                    }
                    lookups.incrementAndGet();
                }
            }, "ct-table-reader-" + n);
        }
        writer.start();
        for (Thread r : readers) {
            r.start();
        }
        writer.join(10_000);
        for (Thread r : readers) {
            r.join(10_000);
        }
        assertThat(miss.get()).isNull();
        assertThat(lookups.get()).isPositive();
        assertThat(t.count()).isEqualTo(stable);
    }
}
