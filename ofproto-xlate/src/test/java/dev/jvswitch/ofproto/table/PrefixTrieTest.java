package dev.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.match.PrefixFields;
import dev.jvswitch.ofproto.syntax.FlowSyntax;

/**
 * The prefix trie's answers (OVS's {@code trie_lookup_value}): the lengths with rules on the
 * value's path and the bits that decide it; edits that leave the trie they started from as it
 * was; and the ports trie and prefix tries as a lookup uses them.
 */
class PrefixTrieTest {
    private static long v4(int a, int b, int c, int d) {
        return ((long) a << 56) | ((long) b << 48) | ((long) c << 40) | ((long) d << 32);
    }

    private static int lookup(PrefixTrie t, long hi, long[] plens) {
        plens[0] = 0;
        plens[1] = 0;
        return t.lookup(hi, 0, 32, plens, 0);
    }

    @Test
    void answersWithTheLengthsOnThePathAndTheBitsThatDecideIt() {
        PrefixTrie t = PrefixTrie.EMPTY.plus(v4(10, 0, 0, 0), 0, 8).plus(v4(10, 1, 0, 0), 0, 16)
                .plus(v4(10, 1, 2, 0), 0, 24);
        long[] plens = new long[2];
        // 10.1.2.3 has all three prefixes; every bit of the deepest one decides it.
        assertThat(lookup(t, v4(10, 1, 2, 3), plens)).isEqualTo(24);
        assertThat(plens[0]).isEqualTo((1L << 7) | (1L << 15) | (1L << 23));
        // 10.1.3.3 leaves the /24 at bit 23 (2 = ...10, 3 = ...11): 24 bits tell it apart.
        assertThat(lookup(t, v4(10, 1, 3, 3), plens)).isEqualTo(24);
        assertThat(plens[0]).isEqualTo((1L << 7) | (1L << 15));
        // 11.0.0.0 leaves 10/8 at bit 7.
        assertThat(lookup(t, v4(11, 0, 0, 0), plens)).isEqualTo(8);
        assertThat(plens[0]).isZero();
        // 200.0.0.0 leaves at bit 0.
        assertThat(lookup(t, v4(200, 0, 0, 0), plens)).isEqualTo(1);
        assertThat(PrefixTrie.EMPTY.lookup(v4(1, 2, 3, 4), 0, 32, plens, 0)).isZero();
    }

    @Test
    void editsCopyWhatTheyChangeAndFoldNodesThatNoLongerNeedToExist() {
        PrefixTrie base = PrefixTrie.EMPTY.plus(v4(10, 0, 0, 0), 0, 8).plus(v4(10, 128, 0, 0), 0, 9);
        PrefixTrie.Edit e = new PrefixTrie.Edit(base);
        e.add(v4(10, 0, 0, 0), 0, 8);
        e.remove(v4(10, 128, 0, 0), 0, 9);
        PrefixTrie after = e.freeze();
        long[] plens = new long[2];
        assertThat(lookup(base, v4(10, 200, 0, 0), plens)).isEqualTo(9);
        assertThat(plens[0]).isEqualTo((1L << 7) | (1L << 8));
        // The /9 is gone: 10.200/8 stops at the /8, a leaf, and needs only its 8 bits.
        assertThat(lookup(after, v4(10, 200, 0, 0), plens)).isEqualTo(8);
        assertThat(plens[0]).isEqualTo(1L << 7);
        assertThat(after.size()).isEqualTo(2);
        e.remove(v4(10, 0, 0, 0), 0, 8);
        e.remove(v4(10, 0, 0, 0), 0, 8);
        assertThat(e.freeze().isEmpty()).isTrue();
        assertThat(lookup(after, v4(10, 0, 0, 1), plens)).as("a frozen trie stays as it was").isEqualTo(8);
        assertThatThrownBy(() -> PrefixTrie.EMPTY.minus(v4(1, 0, 0, 0), 0, 8)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void manyPrefixesAgreeWithAScanAndWithTheirOwnMegaflow() {
        Random rnd = new Random(7);
        List<long[]> prefixes = new ArrayList<>();
        PrefixTrie.Edit e = new PrefixTrie.Edit(PrefixTrie.EMPTY);
        for (int i = 0; i < 2000; i++) {
            int len = 1 + rnd.nextInt(128);
            long hi = rnd.nextInt(4) == 0 ? rnd.nextLong() : 0x20010db800000000L | (rnd.nextLong() & 0xffffL);
            long lo = rnd.nextLong();
            prefixes.add(new long[] {hi & PrefixTrie.maskHi(len), lo & PrefixTrie.maskLo(len), len});
            e.add(hi, lo, len);
        }
        PrefixTrie t = e.freeze();
        long[] plens = new long[2];
        long[] again = new long[2];
        for (int i = 0; i < 2000; i++) {
            long[] p = prefixes.get(rnd.nextInt(prefixes.size()));
            long hi = rnd.nextBoolean() ? p[0] | (rnd.nextLong() & ~PrefixTrie.maskHi((int) p[2])) : rnd.nextLong();
            long lo = rnd.nextLong();
            plens[0] = 0;
            plens[1] = 0;
            int bits = t.lookup(hi, lo, 128, plens, 0);
            long[] expected = new long[2];
            for (long[] q : prefixes) {
                int len = (int) q[2];
                if ((hi & PrefixTrie.maskHi(len)) == q[0] && (lo & PrefixTrie.maskLo(len)) == q[1]) {
                    PrefixTrie.setPlen(expected, 0, len);
                }
            }
            assertThat(plens).as("lengths with a prefix of the value").containsExactly(expected);
            // Any value equal on the first `bits` bits gets the same answer.
            long mh = PrefixTrie.maskHi(bits);
            long ml = PrefixTrie.maskLo(bits);
            again[0] = 0;
            again[1] = 0;
            assertThat(t.lookup((hi & mh) | (rnd.nextLong() & ~mh), (lo & ml) | (rnd.nextLong() & ~ml), 128, again, 0))
                    .isEqualTo(bits);
            assertThat(again).containsExactly(plens);
        }
    }

    @Test
    void theTwoTableRuleSetGivesOvsMegaflows() {
        OfTables.Transaction tx = OfTables.empty().edit();
        for (String f : List.of("table=0,priority=100,udp,tp_src=1024,actions=output:2",
                "table=0,priority=90,ip,nw_src=10.0.0.0/8,actions=resubmit(,1)", "table=0,priority=0,actions=drop",
                "table=1,priority=10,udp,nw_dst=10.1.0.0/16,actions=output:2", "table=1,priority=0,actions=drop")) {
            tx.add(Rule.of(FlowSyntax.parseAdd(f), 0));
        }
        OfTables t = tx.build();
        FlowKey k = new FlowKey().set(FlowField.IN_PORT, 1).set(FlowField.ETH_TYPE, FlowKey.ETH_TYPE_IPV4)
                .set(FlowField.NW_PROTO, FlowKey.IPPROTO_UDP).set(FlowField.NW_SRC, 0x0a000001L)
                .set(FlowField.NW_DST, 0x0a020001L).set(FlowField.TP_SRC, 1028).set(FlowField.TP_DST, 5001);
        FlowMask wc = new FlowMask();
        assertThat(t.lookup(0, k, wc).priority()).isEqualTo(90);
        assertThat(wc.get(FlowField.TP_SRC)).as("1028 leaves 1024 at bit 0x4").isEqualTo(0xfffc);
        assertThat(wc.isWildcard(FlowField.TP_DST)).isTrue();
        assertThat(wc.get(FlowField.NW_SRC)).isEqualTo(0xff000000L);
        t.lookup(1, k, wc);
        assertThat(wc.get(FlowField.NW_DST)).as("10.2 leaves 10.1/16 at its 15th bit").isEqualTo(0xfffe0000L);

        OfTables.Transaction off = t.edit();
        off.setPrefixFields(1, PrefixFields.NONE);
        FlowMask plain = new FlowMask();
        off.build().lookup(1, k, plain);
        assertThat(plain.get(FlowField.NW_DST)).isEqualTo(0xffff0000L);
    }
}
