package dev.jvswitch.flowcache.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class DpActionsParseTest {

    private static void roundTrips(String ovsText) {
        DpActions p = DpActions.parse(ovsText);
        assertThat(p).hasToString(ovsText);
        assertThat(DpActions.parse(p.toString())).isEqualTo(p);
    }

    private static void rejects(String text, String message) {
        assertThatThrownBy(() -> DpActions.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void readsWhatOvsPrints() {
        roundTrips("2");
        roundTrips("drop");
        roundTrips("3,push_vlan(vid=17,pcp=0),2,3");
        roundTrips("pop_vlan,push_vlan(vid=11,pcp=7),1");
        roundTrips("push_vlan(tpid=0x88a8,vid=10,pcp=3),push_vlan(vid=10,pcp=0,cfi=0)");
        roundTrips("set(ipv4(dst=192.168.1.1)),2,set(ipv4(dst=10.10.10.1)),3");
        roundTrips("set(ipv4(src=10.0.0.1,dst=10.0.0.0/255.255.255.0,tos=0x10/0xfc,ttl=63))");
        roundTrips("set(eth(dst=50:54:00:00:00:0a)),2");
        roundTrips("set(eth(src=00:00:00:00:00:01,dst=01:00:00:00:00:00/01:00:00:00:00:00))");
        roundTrips("set(tcp(src=42/0xff)),1");
        roundTrips("set(udp(src=81,dst=6632))");
        roundTrips("set(sctp(src=82,dst=6633))");
        roundTrips("set(ipv6(src=::1,dst=::2))");
        roundTrips("set(ipv6(dst=2112:db8::2))");
        roundTrips("set(ipv6(src=2001:db8::1,dst=fe80::/ffff:ffff:ffff:ffff::,label=0x12345,tclass=0x40/0xfc,hlimit=1))");
        roundTrips("set(ipv6(src=::ffff:10.0.0.1))");
        roundTrips("set(skb_mark(0x1)),1");
        roundTrips("set(skb_mark(0x1/0xff))");
        roundTrips("set(tunnel(tun_id=0x5,src=2.2.2.2,dst=1.1.1.1,tos=0x4,ttl=64,flags(key)))");
        roundTrips("hash(l4(0)),recirc(0x1)");
        roundTrips("hash(l4(4294967295)),recirc(0xffffffff)");
        roundTrips("clone(set(ipv4(dst=192.168.2.2)),2),set(ipv4(dst=10.10.10.1)),3");
        roundTrips("clone(clone(1),2)");
        roundTrips("tnl_pop(4789)");
        roundTrips("tnl_push(tnl_port(4789),header(size=50,type=4,eth(dst=aa:55:00:00:00:02,src=aa:55:00:00:00:01,"
                + "dl_type=0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=0x4000),"
                + "udp(src=0,dst=4789,csum=0x0),vxlan(flags=0xc000004,vni=0x0)),out_port(1))");
        roundTrips("tnl_push(tnl_port(4789),header(size=70,type=4,eth(dst=f8:bc:12:44:34:b6,src=aa:55:aa:55:00:00,"
                + "dl_type=0x86dd),ipv6(src=2001:cafe::88,dst=2001:cafe::92,label=0,proto=17,tclass=0x0,hlimit=64),"
                + "udp(src=0,dst=4789,csum=0xffff),vxlan(flags=0x8000000,vni=0x7b)),out_port(100)),1");
    }

    @Test
    void parsedTunnelHeaderEqualsTheBuiltOne() {
        DpActions built = DpActions.builder().tnlPush(4789, 4, VxlanTemplates.ipv4(), 1).build();
        assertThat(DpActions.parse(built.toString())).isEqualTo(built);
        DpActions built6 = DpActions.builder().tnlPush(4789, 4, VxlanTemplates.ipv6(), 100).build();
        assertThat(DpActions.parse(built6.toString()).data(0)).isEqualTo(built6.data(0));
    }

    @Test
    void aProgramNeedsTheRssHashOnlyForHashOrTnlPushAtAnyDepth() {
        assertThat(DpActions.parse("2").needsRssHash()).isFalse();
        assertThat(DpActions.parse("push_vlan(vid=10,pcp=0),recirc(0x1)").needsRssHash()).isFalse();
        assertThat(DpActions.parse("tnl_pop(4)").needsRssHash()).isFalse();
        assertThat(DpActions.parse("hash(l4(0)),recirc(0x1)").needsRssHash()).isTrue();
        assertThat(DpActions.parse("clone(clone(hash(l4(7)),recirc(0x2))),2").needsRssHash()).isTrue();
        String push = DpActions.builder().tnlPush(4789, 4, VxlanTemplates.ipv4(), 1).build().toString();
        assertThat(DpActions.parse(push + ",1").needsRssHash()).isTrue();
        assertThat(DpActions.parse("clone(" + push + ",1),3").needsRssHash()).isTrue();
    }

    @Test
    void acceptsEquivalentSpellings() {
        assertThat(DpActions.parse(" 1, 2 ,3 ")).hasToString("1,2,3");
        assertThat(DpActions.parse("recirc(16)")).hasToString("recirc(0x10)");
        assertThat(DpActions.parse("push_vlan(vid=10,pcp=0,cfi=1)")).hasToString("push_vlan(vid=10,pcp=0)");
        assertThat(DpActions.parse("set(ipv4(dst=10.0.0.2,src=10.0.0.1))")).hasToString("set(ipv4(src=10.0.0.1,dst=10.0.0.2))");
        assertThat(DpActions.parse("set(ipv4(src=10.0.0.1)),set(ipv4(dst=10.0.0.2))"))
                .hasToString("set(ipv4(src=10.0.0.1,dst=10.0.0.2))");
        assertThat(DpActions.parse("set(ipv6(src=0:0:0:0:0:0:0:1))")).hasToString("set(ipv6(src=::1))");
        assertThat(DpActions.parse("set(ipv6(src=2001:DB8::1))")).hasToString("set(ipv6(src=2001:db8::1))");
        assertThat(DpActions.parse("set(tcp(src=0x50))")).hasToString("set(tcp(src=80))");
        assertThat(DpActions.parse("set(tunnel(dst=1.1.1.1,tos=0x4,ttl=128,flags(df|csum)))"))
                .hasToString("set(tunnel(dst=1.1.1.1,tos=0x4,ttl=128,flags(0)))");
        assertThat(DpActions.parse("set(ipv6(src=::1/::ffff:ffff:ffff:ffff))").length()).isEqualTo(1);
    }

    @Test
    void rejectsWithOneLineMessages() {
        rejects("", "dp actions: empty program (write 'drop' for a program that drops) at offset 0 (end of text)");
        rejects("foo(1)", "dp actions: unknown action 'foo' at offset 0: 'foo(1)'");
        rejects("1,,2", "dp actions: expected an action at offset 2: ',2'");
        rejects("1 2", "dp actions: expected ',' or the end of the actions at offset 2: '2'");
        rejects("70000", "dp actions: output port 70000 out of range 0..65535 at offset 0: '70000'");
        rejects("set(ipv4(proto=6))", "dp actions: set(ipv4(...)): field 'proto' cannot be set at offset 9: 'proto=6))'");
        rejects("set(foo(1))", "dp actions: set: unknown key 'foo' at offset 4: 'foo(1))'");
        rejects("set(ipv4())", "dp actions: set(ipv4()): no fields at offset 9: '))'");
        rejects("set(ipv4(src=10.0.0))", "dp actions: expected an IPv4 address for ipv4 src at offset 13: '10.0.0))'");
        rejects("set(ipv6(src=1:::2))", "dp actions: expected an IPv6 address for ipv6 src at offset 13: '1:::2))'");
        rejects("set(eth(src=00:01))", "dp actions: expected an Ethernet address for eth src at offset 12: '00:01))'");
        rejects("set(ipv4(ttl=256))", "dp actions: ipv4 ttl 256 out of range 0..255 at offset 13: '256))'");
        rejects("recirc(0)", "dp actions: recirc: id 0 is reserved for packets that have not recirculated at offset 0: "
                + "'recirc(0)'");
        rejects("clone(drop)", "dp actions: clone: sub-program is empty or only drops at offset 0: 'clone(drop)'");
        rejects("clone()", "dp actions: expected an action at offset 6: ')'");
        rejects("drop,1", "dp actions: drop: must be the last action (found at position 1 of 2) at offset 6 (end of text)");
        rejects("set(ipv4(src=10.0.0.1,src=10.0.0.2))",
                "dp actions: set(ipv4(...)): ipv4_src set twice in one set at offset 36 (end of text)");
        rejects("push_vlan(vid=4096,pcp=0)", "dp actions: push_vlan vid 4096 out of range 0..4095 at offset 14: '4096,pcp=0)'");
        rejects("push_vlan(tpid=0x800,vid=1,pcp=0)", "dp actions: push_vlan: tpid 0x800 is neither 0x8100 nor 0x88a8 at "
                + "offset 0: 'push_vlan(tpid=0x800,vid=1,pcp=0)'");
        rejects("hash(sym_l4(0))", "dp actions: expected '(l4(' at offset 4: '(sym_l4(0))'");
        rejects("1,2,", "dp actions: expected an action at offset 4 (end of text)");
        rejects("tnl_pop(4", "dp actions: expected ')' at offset 9 (end of text)");
        rejects("clone(".repeat(9) + "1" + ")".repeat(9),
                "dp actions: clone: nested more than 8 deep at offset 54: '1)))))))))'");
        assertThat(DpActions.parse("clone(".repeat(8) + "1" + ")".repeat(8)).cloneDepth()).isEqualTo(8);

        String push = DpActions.builder().tnlPush(4, 4, VxlanTemplates.ipv4(), 1).build().toString();
        String wrongSize = push.replace("size=50", "size=51");
        int sizeAt = push.indexOf("size=50") + 5;
        rejects(wrongSize, "dp actions: tnl_push: header size=51 but the header described is 50 bytes at offset "
                + sizeAt + ": '" + wrongSize.substring(sizeAt, sizeAt + 40) + "...'");
        rejects(push.replace("type=4", "type=6"), "dp actions: tnl_push: tunnel type 6 is not supported (4 = vxlan, "
                + "5 = geneve) at offset 0: '" + push.replace("type=4", "type=6").substring(0, 40) + "...'");
    }

    // ---------------------------------------------------------------- properties

    @Property(tries = 500)
    void everyValidProgramRoundTrips(@ForAll("programs") DpActions program) {
        String text = program.toString();
        DpActions parsed = DpActions.parse(text);
        assertThat(parsed).isEqualTo(program).hasSameHashCodeAs(program);
        assertThat(parsed).hasToString(text);
    }

    @Property(tries = 500)
    void damagedTextIsRejectedOnlyWithIllegalArgument(@ForAll("programs") DpActions program,
            @ForAll("edits") long edit) {
        String text = program.toString();
        int at = (int) Long.remainderUnsigned(edit, text.length() + 1L);
        String alphabet = "(),=/:.x0123456789afgz ";
        char ch = alphabet.charAt((int) Long.remainderUnsigned(edit >>> 32, alphabet.length()));
        String damaged = (edit & 1) == 0 ? text.substring(0, at) + ch + text.substring(at)
                : text.substring(0, Math.max(0, at - 1)) + text.substring(at);
        try {
            DpActions parsed = DpActions.parse(damaged);
            assertThat(DpActions.parse(parsed.toString())).isEqualTo(parsed);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("dp actions: ").doesNotContain("\n");
        }
    }

    @Provide
    Arbitrary<Long> edits() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<DpActions> programs() {
        return Arbitraries.randomValue(random -> randomProgram(random, 0));
    }

    static DpActions randomProgram(Random r, int depth) {
        DpActionsBuilder b = DpActions.builder();
        int n = 1 + r.nextInt(depth == 0 ? 8 : 4); // at most 8 + 8 * (4 + 4 * 4) instructions
        DpField.Group runGroup = null;
        Set<DpField> runFields = EnumSet.noneOf(DpField.class);
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(12);
            if (kind >= 9) {
                DpField f = DpField.values()[r.nextInt(DpField.values().length)];
                if (f.group() != runGroup) {
                    runGroup = f.group();
                    runFields.clear();
                }
                if (!runFields.add(f)) {
                    continue;
                }
                long mask = f.maskable() && r.nextBoolean() ? r.nextLong() & f.fullMask() : f.fullMask();
                if (mask == 0) {
                    mask = f.fullMask();
                }
                b.setField(f, r.nextLong() & mask, mask);
                continue;
            }
            runGroup = null;
            switch (kind) {
                case 0 -> b.output(r.nextInt(DpActions.MAX_PORT + 1));
                case 1 -> b.pushVlan(r.nextBoolean() ? 0x8100 : 0x88a8, r.nextInt(0x10000));
                case 2 -> b.popVlan();
                case 3 -> b.hash(r.nextInt());
                case 4 -> b.recirc(r.nextInt() | 1);
                case 5 -> {
                    if (depth < 2) {
                        b.clone(randomProgram(r, depth + 1));
                    } else {
                        b.output(r.nextInt(100));
                    }
                }
                case 6 -> b.tnlPop(r.nextInt(DpActions.MAX_PORT + 1));
                case 7 -> b.tnlPush(r.nextInt(DpActions.MAX_PORT + 1), DpActions.TNL_TYPE_VXLAN, randomTemplate(r),
                        r.nextInt(DpActions.MAX_PORT + 1));
                default -> b.output(r.nextInt(10));
            }
        }
        if (r.nextInt(8) == 0) {
            b.drop();
        }
        DpActions p = b.build();
        return depth > 0 && p.isDrop() ? DpActions.builder().output(1).build() : p;
    }

    private static byte[] randomTemplate(Random r) {
        byte[] h = r.nextBoolean() ? VxlanTemplates.ipv4() : VxlanTemplates.ipv6();
        boolean v4 = h.length == 50;
        byte[] noise = new byte[h.length];
        r.nextBytes(noise);
        // Randomise every field the text shows; leave version, next header, lengths, id alone.
        for (int i = 0; i < 12; i++) {
            h[i] = noise[i];
        }
        int ip = 14;
        if (v4) {
            h[ip + 1] = noise[ip + 1];
            h[ip + 6] = noise[ip + 6];
            h[ip + 7] = noise[ip + 7];
            h[ip + 8] = noise[ip + 8];
            System.arraycopy(noise, ip + 12, h, ip + 12, 8);
        } else {
            h[ip] = (byte) (0x60 | noise[ip] & 0x0f);
            System.arraycopy(noise, ip + 1, h, ip + 1, 3);
            h[ip + 7] = noise[ip + 7];
            System.arraycopy(noise, ip + 8, h, ip + 8, 32);
        }
        int l4 = v4 ? 34 : 54;
        System.arraycopy(noise, l4, h, l4, 4);
        System.arraycopy(noise, l4 + 6, h, l4 + 6, 2);
        System.arraycopy(noise, l4 + 8, h, l4 + 8, 7);
        return h;
    }
}
