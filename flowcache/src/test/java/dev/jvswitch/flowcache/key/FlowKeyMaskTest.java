package dev.jvswitch.flowcache.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FlowKeyMaskTest {

    @Test
    void keyEqualityIsOverWordsOnly() {
        FlowKey a = new FlowKey().set(FlowField.NW_SRC, 0x0a000001L);
        FlowKey b = new FlowKey().set(FlowField.NW_SRC, 0x0a000001L);
        a.hash(1);
        b.hash(2);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        b.set(FlowField.TP_SRC, 1);
        assertThat(a).isNotEqualTo(b);
        FlowKey c = new FlowKey();
        c.copyFrom(b);
        assertThat(c).isEqualTo(b);
        assertThat(c.hash()).isEqualTo(2);
        c.clear();
        assertThat(c).isEqualTo(new FlowKey());
        assertThat(c.hash()).isZero();
    }

    @Test
    void exactPrefixBitsAndWildcard() {
        FlowMask m = new FlowMask().exact(FlowField.ETH_TYPE).prefix(FlowField.NW_DST, 24).bits(FlowField.TCP_FLAGS, 0x12);
        assertThat(m.get(FlowField.NW_DST)).isEqualTo(0xffffff00L);
        assertThat(m.isExact(FlowField.ETH_TYPE)).isTrue();
        assertThat(m.isExact(FlowField.NW_DST)).isFalse();
        assertThat(m.isWildcard(FlowField.NW_SRC)).isTrue();
        assertThat(m.get(FlowField.TCP_FLAGS)).isEqualTo(0x12);
        m.prefix(FlowField.NW_DST, 8);
        assertThat(m.get(FlowField.NW_DST)).isEqualTo(0xff000000L);
        m.prefix(FlowField.IPV6_SRC, 64);
        assertThat(m.getHigh(FlowField.IPV6_SRC)).isEqualTo(-1L);
        assertThat(m.getLow(FlowField.IPV6_SRC)).isZero();
        m.wildcard(FlowField.NW_DST).wildcard(FlowField.IPV6_SRC);
        assertThat(m.isWildcard(FlowField.NW_DST)).isTrue();
        assertThat(m.isWildcard(FlowField.IPV6_SRC)).isTrue();
        assertThat(m.isExact(FlowField.ETH_TYPE)).isTrue();
    }

    @Test
    void maskRejectsBadInputByFieldName() {
        FlowMask m = new FlowMask();
        assertThatThrownBy(() -> m.prefix(FlowField.NW_SRC, 33))
                .hasMessage("prefix length 33 out of range for field nw_src (0..32)");
        assertThatThrownBy(() -> m.bits(FlowField.TP_SRC, 0x10000))
                .hasMessage("mask 0x10000 does not fit field tp_src (16 bits)");
    }

    @Test
    void unionCatchAllAndWordMap() {
        FlowMask a = new FlowMask();
        assertThat(a.isCatchAll()).isTrue();
        assertThat(a.wordMap()).isZero();
        a.exact(FlowField.IN_PORT);
        FlowMask b = new FlowMask().exact(FlowField.TP_DST).exact(FlowField.IPV6_DST);
        a.or(b);
        assertThat(a.isCatchAll()).isFalse();
        assertThat(a.isExact(FlowField.IN_PORT)).isTrue();
        assertThat(a.isExact(FlowField.TP_DST)).isTrue();
        assertThat(a.wordMap()).isEqualTo((1L << FlowField.IN_PORT.word()) | (1L << FlowField.TP_DST.word())
                | (3 << FlowField.IPV6_DST.word()));
        FlowMask c = new FlowMask().copyFrom(a);
        assertThat(c).isEqualTo(a).hasSameHashCodeAs(a).isNotEqualTo(b);
        assertThat(c.clear().isCatchAll()).isTrue();
    }

    @Test
    void applyAndMatch() {
        FlowKey k = new FlowKey().set(FlowField.NW_DST, 0x0a0000feL).set(FlowField.TP_DST, 80)
                .set(FlowField.ETH_TYPE, FlowKey.ETH_TYPE_IPV4);
        FlowMask m = new FlowMask().prefix(FlowField.NW_DST, 24).exact(FlowField.ETH_TYPE);
        long[] masked = new long[FlowKey.ALL_WORDS];
        FlowMask.apply(k, m, masked);
        FlowKey mk = new FlowKey();
        FlowMask.apply(k, m, mk);
        assertThat(mk.words()).containsExactly(masked);
        assertThat(mk.get(FlowField.NW_DST)).isEqualTo(0x0a000000L);
        assertThat(mk.get(FlowField.TP_DST)).isZero();
        assertThat(FlowMask.matches(k, m, masked)).isTrue();
        FlowKey other = k.copy().set(FlowField.NW_DST, 0x0a000101L);
        assertThat(FlowMask.matches(other, m, masked)).isFalse();
        other.set(FlowField.NW_DST, 0x0a000001L).set(FlowField.TP_DST, 22);
        assertThat(FlowMask.matches(other, m, masked)).isTrue();
    }

    @Test
    void aHandWrittenHotWordSetMustBeTheMask() {
        FlowKey.checkHotWords(FlowKey.HOT_WORD_MASK, "test");
        assertThatThrownBy(() -> FlowKey.checkHotWords(0x3ffL, "Test.unrolled")).isInstanceOf(ExceptionInInitializerError.class)
                .hasMessage("Test.unrolled handles the words 0x3ff one by one, but FlowKey.HOT_WORD_MASK is 0x43ff");
    }
}
