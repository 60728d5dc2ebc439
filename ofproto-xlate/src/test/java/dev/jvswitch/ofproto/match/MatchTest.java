package dev.jvswitch.ofproto.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;

class MatchTest {
    private static Match.Builder tcp() {
        return Match.builder().set(FlowField.ETH_TYPE, FlowKey.ETH_TYPE_IPV4).set(FlowField.NW_PROTO, 6);
    }

    @Test
    void matchesComparesMaskedWords() {
        Match m = tcp().set(FlowField.NW_DST, 0x0a000000L, 0xffffff00L).set(FlowField.TP_DST, 80).build();
        FlowKey k = new FlowKey().set(FlowField.ETH_TYPE, 0x0800).set(FlowField.NW_PROTO, 6)
                .set(FlowField.NW_DST, 0x0a000063L).set(FlowField.TP_DST, 80).set(FlowField.TP_SRC, 1234);
        assertThat(m.matches(k)).isTrue();
        k.set(FlowField.NW_DST, 0x0a000163L);
        assertThat(m.matches(k)).isFalse();
    }

    @Test
    void valueBitsOutsideTheMaskAreDroppedSoEqualMatchesAreEqual() {
        Match a = tcp().set(FlowField.NW_DST, 0x0a0000ffL, 0xffffff00L).build();
        Match b = tcp().set(FlowField.NW_DST, 0x0a000000L, 0xffffff00L).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.value(FlowField.NW_DST)).isEqualTo(0x0a000000L);
    }

    @Test
    void transportPortWithoutTransportProtocolIsRefused() {
        assertThatThrownBy(() -> Match.builder().set(FlowField.TP_DST, 80).build())
                .isInstanceOf(PrerequisiteException.class).hasMessage("tp_dst needs tcp, udp or sctp");
        assertThatThrownBy(() -> Match.builder().set(FlowField.ETH_TYPE, 0x0800).set(FlowField.NW_PROTO, 1)
                .set(FlowField.TP_DST, 80).build()).hasMessage("tp_dst needs tcp, udp or sctp");
    }

    @Test
    void nwSrcIsAcceptedForIpAndArpButNotOtherwise() {
        Match.builder().set(FlowField.ETH_TYPE, 0x0800).set(FlowField.NW_SRC, 1).build();
        Match.builder().set(FlowField.ETH_TYPE, 0x0806).set(FlowField.NW_SRC, 1).build();
        assertThatThrownBy(() -> Match.builder().set(FlowField.ETH_TYPE, 0x86dd).set(FlowField.NW_SRC, 1).build())
                .hasMessage("nw_src needs ip");
        assertThatThrownBy(() -> Match.builder().set(FlowField.ETH_TYPE, 0x0800, 0xff00).set(FlowField.NW_SRC, 1)
                .build()).hasMessage("nw_src needs ip");
    }

    @Test
    void icmpTypeUsesTheLowBitsOfTpSrc() {
        Match m = Match.builder().set(FlowField.ETH_TYPE, 0x0800).set(FlowField.NW_PROTO, 1)
                .set(FlowField.ICMP_TYPE, 8).build();
        assertThat(m.prerequisitesMet(FlowField.ICMP_TYPE)).isTrue();
        assertThat(m.value(FlowField.TP_SRC)).isEqualTo(8);
        assertThatThrownBy(() -> Match.builder().set(FlowField.ETH_TYPE, 0x0800).set(FlowField.NW_PROTO, 1)
                .set(FlowField.TP_SRC, 8).build()).hasMessage("tp_src needs tcp, udp or sctp");
    }

    @Test
    void ndTargetNeedsNeighbourDiscovery() {
        Match.Builder b = Match.builder().set(FlowField.ETH_TYPE, 0x86dd).set(FlowField.NW_PROTO, 58)
                .set128(FlowField.ND_TARGET, 1, 2);
        assertThatThrownBy(b::build).hasMessage("nd_target needs icmp6 with icmp_type=135 or 136");
        b.set(FlowField.ICMPV6_TYPE, 135).build();
    }

    @Test
    void subsetIsNonStrictSelection() {
        Match wide = tcp().build();
        Match narrow = tcp().set(FlowField.TP_DST, 80).build();
        assertThat(narrow.isSubsetOf(wide)).isTrue();
        assertThat(wide.isSubsetOf(narrow)).isFalse();
        assertThat(narrow.isSubsetOf(Match.ANY)).isTrue();
        Match other = Match.builder().set(FlowField.ETH_TYPE, 0x0800).set(FlowField.NW_PROTO, 17).build();
        assertThat(narrow.isSubsetOf(other)).isFalse();
    }
}
