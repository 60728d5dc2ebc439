package dev.jvswitch.flowcache.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class FlowFieldTest {

    @Test
    void keyWordCountIsTheTablesWordCount() {
        int words = 0;
        for (FlowField f : FlowField.values()) {
            words = Math.max(words, f.word() + f.wordCount());
        }
        assertThat(FlowKey.ALL_WORDS).isEqualTo(words).isEqualTo(FlowField.WORDS_USED);
    }

    @Test
    void onlyAliasesShareBits() {
        for (FlowField a : FlowField.values()) {
            for (FlowField b : FlowField.values()) {
                if (a != b && a.canonical() != b.canonical()) {
                    assertThat(sharedBits(a, b)).as(a + " vs " + b).isFalse();
                }
            }
        }
    }

    @Test
    void everyWordIsUsedByAField() {
        Set<Integer> used = new HashSet<>();
        for (FlowField f : FlowField.values()) {
            for (int i = 0; i < f.wordCount(); i++) {
                used.add(f.word() + i);
            }
        }
        assertThat(used).hasSize(FlowKey.ALL_WORDS);
    }

    @Test
    void aliasesLieInsideTheirOwner() {
        for (FlowField f : FlowField.values()) {
            if (f.isAlias()) {
                FlowField owner = f.canonical();
                assertThat(owner.isAlias()).isFalse();
                assertThat(owner.wordMask() & f.wordMask()).isEqualTo(f.wordMask());
            }
        }
    }

    @Test
    void namesAreUniqueAndFindable() {
        Set<String> names = new HashSet<>();
        for (FlowField f : FlowField.values()) {
            assertThat(names.add(f.ovsName())).as(f.ovsName()).isTrue();
            assertThat(FlowField.byName(f.ovsName())).isSameAs(f);
        }
        assertThat(FlowField.find("dl_src")).isSameAs(FlowField.ETH_SRC);
        assertThat(FlowField.find("ip_frag")).isSameAs(FlowField.NW_FRAG);
        assertThat(FlowField.find("nope")).isNull();
        assertThatThrownBy(() -> FlowField.byName("nw_srx")).hasMessage("unknown flow field 'nw_srx'");
    }

    @Test
    void everyFieldRoundTripsThroughAKey() {
        for (FlowField f : FlowField.values()) {
            FlowKey k = new FlowKey();
            if (f.is128()) {
                k.set(f, 0x0123456789abcdefL, -2L);
                assertThat(k.getHigh(f)).isEqualTo(0x0123456789abcdefL);
                assertThat(k.getLow(f)).isEqualTo(-2L);
            } else {
                k.set(f, f.valueMask());
                assertThat(k.get(f)).as(f.ovsName()).isEqualTo(f.valueMask());
                if (!f.canonical().is128()) {
                    assertThat(k.get(f.canonical()) & f.valueMask()).isEqualTo(f.valueMask());
                }
                k.set(f, 0);
                assertThat(k).isEqualTo(new FlowKey());
            }
        }
    }

    @Test
    void registersAreViewsOfOneAnotherInThePipelineWords() {
        FlowKey k = new FlowKey().set(FlowField.REG0, 0x11111111L).set(FlowField.REG1, 0x22222222L)
                .set(FlowField.REG2, 0x33333333L).set(FlowField.REG3, 0x44444444L);
        assertThat(k.get(FlowField.XREG0)).isEqualTo(0x1111111122222222L);
        assertThat(k.get(FlowField.XREG1)).isEqualTo(0x3333333344444444L);
        assertThat(k.getHigh(FlowField.XXREG0)).isEqualTo(0x1111111122222222L);
        assertThat(k.getLow(FlowField.XXREG0)).isEqualTo(0x3333333344444444L);
        for (FlowField f : FlowField.values()) {
            assertThat(f.isPipeline()).as(f.ovsName())
                    .isEqualTo(f.ovsName().contains("reg") || f == FlowField.METADATA || f == FlowField.CONJ_ID
                            || f == FlowField.ACTSET_OUTPUT || f == FlowField.TUN_METADATA_PRESENT);
        }
        assertThat(FlowField.find("in_port_oxm")).isSameAs(FlowField.IN_PORT);
    }

    @Test
    void prerequisitesFollowTheKey() {
        FlowKey k = new FlowKey().set(FlowField.ETH_TYPE, FlowKey.ETH_TYPE_IPV6)
                .set(FlowField.NW_PROTO, FlowKey.IPPROTO_ICMPV6).set(FlowField.ICMPV6_TYPE, 135);
        assertThat(FlowField.ND_TARGET.prerequisitesMet(k)).isTrue();
        assertThat(FlowField.ND_SLL.prerequisitesMet(k)).isTrue();
        assertThat(FlowField.ND_TLL.prerequisitesMet(k)).isFalse();
        assertThat(FlowField.NW_SRC.prerequisitesMet(k)).isFalse();
        assertThat(FlowField.IPV6_SRC.prerequisitesMet(k)).isTrue();
        assertThat(FlowField.TP_SRC.prerequisitesMet(k)).isFalse();
        assertThat(FlowField.ETH_SRC.prerequisitesMet(k)).isTrue();
        k.set(FlowField.ETH_TYPE, FlowKey.ETH_TYPE_RARP);
        assertThat(FlowField.ARP_OP.prerequisitesMet(k)).isTrue();
        k.set(FlowField.ETH_TYPE, FlowKey.ETH_TYPE_IPV4).set(FlowField.NW_PROTO, FlowKey.IPPROTO_SCTP);
        assertThat(FlowField.TP_DST.prerequisitesMet(k)).isTrue();
        assertThat(FlowField.TCP_FLAGS.prerequisitesMet(k)).isFalse();
        assertThat(FlowField.ICMP_TYPE.prerequisitesMet(k)).isFalse();
    }

    @Test
    void setRejectsValuesWiderThanTheField() {
        FlowKey k = new FlowKey();
        assertThatThrownBy(() -> k.set(FlowField.NW_PROTO, 256))
                .hasMessage("value 0x100 does not fit field nw_proto (8 bits)");
        assertThatThrownBy(() -> k.get(FlowField.IPV6_SRC)).hasMessageContaining("ipv6_src is 128 bits wide");
        assertThatThrownBy(() -> k.getHigh(FlowField.NW_SRC)).hasMessageContaining("nw_src is not 128 bits wide");
    }

    @Test
    void genericFormats() {
        assertThat(FieldFormat.MAC.append(new StringBuilder(), 0x0a0b0c0d0e0fL)).hasToString("0a:0b:0c:0d:0e:0f");
        assertThat(FieldFormat.IPV4.append(new StringBuilder(), 0xc0000201L)).hasToString("192.0.2.1");
        assertThat(FieldFormat.HEX.append(new StringBuilder(), 0x800)).hasToString("0x800");
        assertThat(FieldFormat.DECIMAL.append(new StringBuilder(), 80)).hasToString("80");
        assertThat(FieldFormat.TCP_FLAGS.append(new StringBuilder(), 0x12)).hasToString("syn|ack");
        assertThat(FieldFormat.TUNNEL_FLAGS.append(new StringBuilder(), 0xa)).hasToString("df|key");
        assertThat(FieldFormat.FRAG.append(new StringBuilder(), 3)).hasToString("later");
        assertThat(FieldFormat.IPV6.append(new StringBuilder(), 0x20010db800000000L, 1)).hasToString("2001:db8::1");
    }

    private static boolean sharedBits(FlowField a, FlowField b) {
        for (int i = 0; i < a.wordCount(); i++) {
            for (int j = 0; j < b.wordCount(); j++) {
                long am = a.is128() ? -1L : a.wordMask();
                long bm = b.is128() ? -1L : b.wordMask();
                if (a.word() + i == b.word() + j && (am & bm) != 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
