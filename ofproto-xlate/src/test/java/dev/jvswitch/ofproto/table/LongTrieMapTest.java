package dev.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class LongTrieMapTest {
    /** Random puts and removes, keys drawn so that many share long prefixes; compared with a TreeMap. */
    @Property(tries = 300)
    void behavesLikeASortedMap(@ForAll long seed) {
        Random rnd = new Random(seed);
        TreeMap<Long, Integer> ref = new TreeMap<>(Long::compareUnsigned);
        LongTrieMap<Integer> map = LongTrieMap.empty();
        long[] pool = new long[1 + rnd.nextInt(60)];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextLong();
                case 1 -> rnd.nextInt(40);
                case 2 -> (long) rnd.nextInt(65536) << 48;
                default -> -1L - rnd.nextInt(40);
            };
        }
        List<LongTrieMap<Integer>> versions = new ArrayList<>();
        List<TreeMap<Long, Integer>> refs = new ArrayList<>();
        for (int op = 0; op < 200; op++) {
            long k = pool[rnd.nextInt(pool.length)];
            if (rnd.nextInt(3) == 0) {
                map = map.minus(k);
                ref.remove(k);
            } else {
                int v = rnd.nextInt(1000);
                map = map.plus(k, v);
                ref.put(k, v);
            }
            versions.add(map);
            refs.add(new TreeMap<>(ref));
            assertThat(map.size()).isEqualTo(ref.size());
            for (long p : pool) {
                assertThat(map.get(p)).isEqualTo(ref.get(p));
            }
            if (!ref.isEmpty()) {
                assertThat(map.maxKey()).isEqualTo(ref.lastKey());
            }
            List<Integer> values = new ArrayList<>();
            map.forEachValue(values::add);
            assertThat(values).containsExactlyElementsOf(ref.values());
        }
        // Older versions are untouched by later changes.
        for (int i = 0; i < versions.size(); i++) {
            for (long p : pool) {
                assertThat(versions.get(i).get(p)).isEqualTo(refs.get(i).get(p));
            }
        }
    }
}
