package dev.jvswitch.flowcache.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

class DpActionsBuilderTest {

    private static void rejects(Supplier<Object> build, String message) {
        assertThatThrownBy(build::get).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    private static DpActionsBuilder b() {
        return DpActions.builder();
    }

    @Test
    void rejectsBadPortNumbers() {
        rejects(() -> b().output(-1), "output: port -1 out of range 0..65535");
        rejects(() -> b().output(65536), "output: port 65536 out of range 0..65535");
        rejects(() -> b().tnlPop(70000), "tnl_pop: port 70000 out of range 0..65535");
        rejects(() -> b().tnlPush(-2, 4, VxlanTemplates.ipv4(), 1), "tnl_push: tnl_port -2 out of range 0..65535");
        rejects(() -> b().tnlPush(4, 4, VxlanTemplates.ipv4(), 65536), "tnl_push: out_port 65536 out of range 0..65535");
    }

    @Test
    void rejectsBadVlanTags() {
        rejects(() -> b().pushVlan(0x0800, DpActions.vlanTci(1, 0)), "push_vlan: tpid 0x800 is neither 0x8100 nor 0x88a8");
        rejects(() -> b().pushVlan(0x8100, 0x10000), "push_vlan: tci 0x10000 wider than 16 bits");
        rejects(() -> DpActions.vlanTci(4096, 0), "push_vlan: vid 4096 out of range 0..4095");
        rejects(() -> DpActions.vlanTci(1, 8), "push_vlan: pcp 8 out of range 0..7");
        assertThat(DpActions.vlanTci(10, 5)).isEqualTo(10 | 5 << 13 | 0x1000);
    }

    @Test
    void rejectsMalformedSets() {
        rejects(() -> b().setField(DpField.IPV4_TOS, 0x100), "set(ipv4_tos): value 0x100 wider than 8 bits");
        rejects(() -> b().setField(DpField.IPV4_TTL, 1, 0x1ff), "set(ipv4_ttl): mask 0x1ff wider than 8 bits");
        rejects(() -> b().setField(DpField.TCP_SRC, 0x10000), "set(tcp_src): value 0x10000 wider than 16 bits");
        rejects(() -> b().setField(DpField.IPV6_LABEL, 0x100000), "set(ipv6_label): value 0x100000 wider than 20 bits");
        rejects(() -> b().setField(DpField.ETH_SRC, 1L << 48), "set(eth_src): value 0x1000000000000 wider than 48 bits");
        rejects(() -> b().setField(DpField.IPV4_DST, 0, 0), "set(ipv4_dst): mask is zero");
        rejects(() -> b().setField(DpField.TUN_ID, 1, 0xff), "set(tun_id): field cannot be masked");
        rejects(() -> b().setField(DpField.IPV4_DST, 0x0a000001, 0xffffff00L),
                "set(ipv4_dst): value 0xa000001 has bits outside mask 0xffffff00");
        rejects(() -> b().setIpv6Src(0, 0, 0, 0), "set(ipv6_src): mask is zero");
        rejects(() -> b().setIpv6Dst(0, 1, -1L, 0), "set(ipv6_dst): value has bits outside its mask");
        rejects(() -> b().setField(DpField.IPV4_SRC, 1).setField(DpField.IPV4_DST, 2).setField(DpField.IPV4_SRC, 3)
                .build(), "set(ipv4(...)): ipv4_src set twice in one set");
        rejects(() -> DpField.tpSrc(1), "tp_src: IP protocol 1 has no ports");
        rejects(() -> DpField.tpDst(58), "tp_dst: IP protocol 58 has no ports");
    }

    @Test
    void rejectsBadRecircCloneAndDrop() {
        rejects(() -> b().recirc(0), "recirc: id 0 is reserved for packets that have not recirculated");
        rejects(() -> b().clone(DpActions.DROP), "clone: sub-program is empty or only drops");
        rejects(() -> b().clone(b().build()), "clone: sub-program is empty or only drops");
        rejects(() -> b().drop().output(1).build(), "drop: must be the last action (found at position 1 of 2)");
    }

    @Test
    void rejectsProgramsBeyondTheLimits() {
        DpActions nested = b().output(1).build();
        for (int depth = 1; depth <= DpActions.MAX_CLONE_DEPTH; depth++) {
            nested = b().clone(nested).build();
            assertThat(nested.cloneDepth()).isEqualTo(depth);
        }
        DpActions deepest = nested;
        rejects(() -> b().clone(deepest), "clone: nested 9 deep, more than 8");

        DpActionsBuilder full = b();
        for (int i = 0; i < DpActions.MAX_INSTRUCTIONS; i++) {
            full.output(i);
        }
        rejects(() -> full.output(1), "program has more than 256 instructions");

        DpActionsBuilder big = b();
        for (int i = 0; i < 200; i++) {
            big.output(i);
        }
        DpActions sub = big.build();
        DpActionsBuilder outer = b().clone(sub);
        for (int i = 0; i < 100; i++) {
            outer.output(i);
        }
        rejects(outer::build, "program has 301 instructions, more than 256");
    }

    @Test
    void rejectsBadTunnelHeaders() {
        rejects(() -> b().tnlPush(4, 4, new byte[129], 1),
                "tnl_push: header of 129 bytes is longer than the 128 bytes of mbuf headroom");
        rejects(() -> b().tnlPush(4, 6, VxlanTemplates.ipv4(), 1), "tnl_push: tunnel type 6 is not supported (4 = vxlan, 5 = geneve)");
        rejects(() -> b().tnlPush(4, 4, new byte[10], 1), "tnl_push: header of 10 bytes is shorter than an Ethernet header");

        byte[] vlan = VxlanTemplates.ipv4();
        vlan[12] = (byte) 0x81;
        vlan[13] = 0;
        rejects(() -> b().tnlPush(4, 4, vlan, 1),
                "tnl_push: header eth type 0x8100 is neither IPv4 (0x0800) nor IPv6 (0x86dd)");
        rejects(() -> b().tnlPush(4, 4, java.util.Arrays.copyOf(VxlanTemplates.ipv4(), 52), 1),
                "tnl_push: vxlan over ipv4 header must be 50 bytes, got 52");
        rejects(() -> b().tnlPush(4, 4, java.util.Arrays.copyOf(VxlanTemplates.ipv6(), 50), 1),
                "tnl_push: vxlan over ipv6 header must be 70 bytes, got 50");

        byte[] options = VxlanTemplates.ipv4();
        options[14] = 0x46;
        rejects(() -> b().tnlPush(4, 4, options, 1), "tnl_push: header ipv4 version/ihl 0x46, expected 0x45");
        byte[] id = VxlanTemplates.ipv4();
        id[18] = 0x12;
        id[19] = 0x34;
        rejects(() -> b().tnlPush(4, 4, id, 1), "tnl_push: header ipv4 id 0x1234, expected 0");
        byte[] tcp = VxlanTemplates.ipv4();
        tcp[23] = 6;
        rejects(() -> b().tnlPush(4, 4, tcp, 1), "tnl_push: vxlan header ipv4 proto 6, expected 17 (udp)");
        byte[] v4in6 = VxlanTemplates.ipv6();
        v4in6[14] = 0x40;
        rejects(() -> b().tnlPush(4, 4, v4in6, 1), "tnl_push: header ipv6 version 4, expected 6");
        byte[] nxt = VxlanTemplates.ipv6();
        nxt[20] = 6;
        rejects(() -> b().tnlPush(4, 4, nxt, 1), "tnl_push: vxlan header ipv6 next header 6, expected 17 (udp)");
        byte[] reserved = VxlanTemplates.ipv4();
        reserved[49] = 1;
        rejects(() -> b().tnlPush(4, 4, reserved, 1), "tnl_push: vxlan reserved byte 0x1, expected 0");
    }

    @Test
    void tunnelHeaderIsCopiedAndPutInCanonicalForm() {
        byte[] header = VxlanTemplates.ipv4();
        header[16] = 0x01; // total length, which the push recomputes per packet
        header[17] = 0x02;
        header[38] = 0x00; // udp length
        header[39] = 0x2a;
        DpActions p = b().tnlPush(4, DpActions.TNL_TYPE_VXLAN, header, 1).build();
        byte[] stored = p.data(0);
        assertThat(stored).isNotSameAs(header);
        assertThat(header[17]).isEqualTo((byte) 0x02);
        assertThat(stored[16]).isZero();
        assertThat(stored[17]).isZero();
        assertThat(stored[39]).isZero();
        // The stored IPv4 checksum makes the 20-byte header sum to 0xffff.
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += (stored[i] & 0xff) << 8 | (stored[i + 1] & 0xff);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        assertThat(sum).isEqualTo(0xffff);
        assertThat(b().tnlPush(4, 4, header, 1).build()).isEqualTo(b().tnlPush(4, 4, VxlanTemplates.ipv4(), 1).build());
    }

    @Test
    void emptyAndDropOnlyProgramsAreTheDropProgram() {
        assertThat(b().build()).isSameAs(DpActions.DROP);
        assertThat(b().drop().build()).isSameAs(DpActions.DROP);
        assertThat(DpActions.DROP.isDrop()).isTrue();
        assertThat(b().output(1).drop().build().isDrop()).isFalse();
    }

    @Test
    void setRunsAreSortedIntoFieldOrderAndComparedStructurally() {
        DpActions reversed = b().setField(DpField.IPV4_TTL, 63).setField(DpField.IPV4_DST, 2).setField(DpField.IPV4_SRC, 1)
                .output(2).build();
        DpActions ordered = b().setField(DpField.IPV4_SRC, 1).setField(DpField.IPV4_DST, 2).setField(DpField.IPV4_TTL, 63)
                .output(2).build();
        assertThat(reversed).isEqualTo(ordered).hasSameHashCodeAs(ordered);
        assertThat(reversed.field(0)).isEqualTo(DpField.IPV4_SRC);
        assertThat(reversed.field(2)).isEqualTo(DpField.IPV4_TTL);

        // Sets of different groups are not reordered across each other.
        DpActions mixed = b().setField(DpField.IPV4_DST, 2).setField(DpField.ETH_SRC, 1).setField(DpField.IPV4_SRC, 1)
                .build();
        assertThat(mixed.field(0)).isEqualTo(DpField.IPV4_DST);
        assertThat(mixed.field(1)).isEqualTo(DpField.ETH_SRC);
        assertThat(mixed.field(2)).isEqualTo(DpField.IPV4_SRC);

        assertThat(b().output(1).build()).isNotEqualTo(b().output(2).build());
        assertThat(b().clone(b().output(1).build()).build()).isEqualTo(b().clone(b().output(1).build()).build());
        assertThat(b().clone(b().output(1).build()).build()).isNotEqualTo(b().clone(b().output(3).build()).build());
    }

    @Test
    void builderIsReusableAndOperandsAreExposed() {
        DpActionsBuilder builder = b().output(3).pushVlan(0x88a8, DpActions.vlanTci(7, 1)).recirc(0x10);
        DpActions first = builder.build();
        DpActions second = builder.popVlan().build();
        assertThat(first.length()).isEqualTo(3);
        assertThat(second.length()).isEqualTo(4);
        assertThat(first.op(0)).isEqualTo(DpActions.OP_OUTPUT);
        assertThat(first.a(0)).isEqualTo(3);
        assertThat(first.op(1)).isEqualTo(DpActions.OP_PUSH_VLAN);
        assertThat(first.a(1)).isEqualTo(0x88a8);
        assertThat(first.b(1)).isEqualTo(7 | 1 << 13 | 0x1000);
        assertThat(first.op(2)).isEqualTo(DpActions.OP_RECIRC);
        assertThat(first.a(2)).isEqualTo(0x10);
        assertThat(second.instructionCount()).isEqualTo(4);
    }

    @Test
    void aCacheHandsOutOneProgramPerContent() {
        DpActionsCache cache = new DpActionsCache();
        DpActionsBuilder builder = b();
        // Sets out of field order: the cached program is the canonical one build() makes.
        DpActions first = builder.setField(DpField.IPV4_DST, 0x0a000002L).setField(DpField.IPV4_SRC, 0x0a000001L)
                .output(2).build(cache);
        assertThat(first).isEqualTo(b().setField(DpField.IPV4_DST, 0x0a000002L).setField(DpField.IPV4_SRC, 0x0a000001L)
                .output(2).build());
        assertThat(first).hasToString("set(ipv4(src=10.0.0.1,dst=10.0.0.2)),2");
        DpActions again = builder.reset().setField(DpField.IPV4_SRC, 0x0a000001L)
                .setField(DpField.IPV4_DST, 0x0a000002L).output(2).build(cache);
        assertThat(again).isSameAs(first);
        DpActions other = builder.reset().setField(DpField.IPV4_SRC, 0x0a000001L)
                .setField(DpField.IPV4_DST, 0x0a000003L).output(2).build(cache);
        assertThat(other).isNotEqualTo(first).hasToString("set(ipv4(src=10.0.0.1,dst=10.0.0.3)),2");
        assertThat(builder.reset().build(cache)).isSameAs(DpActions.DROP);
        assertThat(builder.reset().drop().build(cache)).isSameAs(DpActions.DROP);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(2);
    }

    @Test
    void aCachedBuildChecksTheProgramAsBuildDoes() {
        DpActionsCache cache = new DpActionsCache();
        rejects(() -> b().drop().output(1).build(cache), "drop: must be the last action (found at position 1 of 2)");
        DpActions sub = b().output(3).build();
        DpActions withClone = b().clone(sub).output(2).build(cache);
        assertThat(b().clone(b().output(3).build()).output(2).build(cache)).isSameAs(withClone);
        assertThat(b().clone(b().output(4).build()).output(2).build(cache)).isNotEqualTo(withClone);
    }
}
