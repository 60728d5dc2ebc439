package dev.jvswitch.testkit.ovs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential harness's text side, without OVS: megaflows compared by meaning, case files
 * read with their errors placed, and deviations that must apply exactly.
 */
class OvsCaseTest {
    @TempDir
    Path dir;

    @Test
    void megaflowsCompareByMeaningNotByText() {
        MegaflowMatch ovs = MegaflowMatch.parse("recirc_id=0,eth,udp,in_port=1,nw_src=10.0.0.0/8,nw_frag=no,"
                + "tp_src=0x404/0xfffc");
        MegaflowMatch same = MegaflowMatch.parse("eth,udp,recirc_id=0,nw_src=10.1.2.3/255.0.0.0,in_port=1,"
                + "tp_src=1028/0xfffc,nw_frag=no");
        assertThat(ovs.diff(same)).isEmpty();
        assertThat(MegaflowMatch.parse("nw_dst=10.0.0.1/32,ipv6_src=2001:db8::/32,dl_dst=00:00:00:00:00:0A")
                .diff(MegaflowMatch.parse("nw_dst=10.0.0.1,ipv6_src=2001:db8:0:0::/ffff:ffff::,"
                        + "dl_dst=00:00:00:00:00:0a/ff:ff:ff:ff:ff:ff"))).isEmpty();
        MegaflowMatch other = MegaflowMatch.parse("recirc_id=0,eth,udp,in_port=1,nw_src=10.0.0.0/16,tp_src=1028,"
                + "vlan_tci=0x0000");
        assertThat(ovs.diff(other)).containsExactly("OVS nw_src=10.0.0.0/8, jvswitch nw_src=10.0.0.0/16",
                "only in OVS: nw_frag=no", "OVS tp_src=0x404/0xfffc, jvswitch tp_src=1028",
                "only in jvswitch: vlan_tci=0x0000");
        assertThat(MegaflowMatch.parse("nw_frag=no").diff(MegaflowMatch.parse("nw_frag=first")))
                .containsExactly("OVS nw_frag=no, jvswitch nw_frag=first");
    }

    @Test
    void aCaseFileReadsEverySection() throws IOException {
        OvsCase c = OvsCase.load(write("ok.case", """
                # comment
                [ports]
                1 2 3
                [prefixes]
                0 ipv6_dst,nw_src
                [flows]
                priority=10,udp,tp_src=1024,actions=output:2
                [packets]
                hit: in_port=1,udp,udp_src=1024
                in_port=1 0a0b
                [compare]
                megaflow
                [deviations]
                hit megaflow nw_frag=no => - -- explained here
                * actions 2,100 => 2 -- OVS floods to LOCAL
                """));
        assertThat(c.name()).isEqualTo("ok");
        assertThat(c.ports()).containsExactly(1, 2, 3);
        assertThat(c.prefixes()).isEqualTo(Map.of(0, "ipv6_dst,nw_src"));
        assertThat(c.flows()).containsExactly("priority=10,udp,tp_src=1024,actions=output:2");
        assertThat(c.packets()).extracting(OvsCase.Packet::name).containsExactly("hit", "2");
        assertThat(c.packets().get(1).hex()).isEqualTo("0a0b");
        assertThat(c.compare()).containsExactly(OvsCase.MEGAFLOW);
        assertThat(c.deviations()).hasSize(2);
    }

    @Test
    void deviationsRewriteOvsExactlyAndMustApply() throws IOException {
        OvsCase c = OvsCase.load(write("dev.case", """
                [flows]
                priority=0,actions=drop
                [packets]
                a: in_port=1
                b: in_port=2
                [deviations]
                a megaflow tcp_flags=-psh => - -- OVS 3.1.0 drops the final stage's other fields
                * actions 2,100 => 2 -- OVS floods to LOCAL
                """));
        OvsCase.Packet a = c.packets().get(0);
        OvsCase.Packet b = c.packets().get(1);
        Set<Deviation> applied = new HashSet<>();
        OvsTrace ovs = new OvsTrace("", "recirc_id=0,eth,tcp,in_port=1,tcp_flags=-psh", "2,100");
        OvsTrace jvs = new OvsTrace("", "recirc_id=0,eth,tcp,in_port=1", "2");
        assertThat(c.compare(a, ovs, jvs, applied)).isEmpty();
        assertThat(c.unused(applied)).isEmpty();
        // For b, the megaflow deviation is not named, so OVS's tcp_flags stays a difference.
        List<String> forB = c.compare(b, ovs, jvs, new HashSet<>());
        assertThat(forB.get(0)).isEqualTo("megaflow: only in OVS: tcp_flags=-psh");
        // A deviation that no longer says what OVS does is itself reported.
        OvsTrace fixed = new OvsTrace("", "recirc_id=0,eth,tcp,in_port=1", "2,100");
        assertThat(c.compare(a, fixed, jvs, new HashSet<>()).get(0))
                .startsWith("deviation at line 7 does not apply: 'tcp_flags=-psh' is not in");
    }

    @Test
    void malformedCasesNameFileAndLine() throws IOException {
        Path noReason = write("r.case", "[packets]\nin_port=1\n[deviations]\n1 actions 2 => 3\n");
        assertThatThrownBy(() -> OvsCase.load(noReason)).hasMessage(noReason + ":4: a deviation needs its reason"
                + " after ' -- '");
        Path unknown = write("u.case", "[packet]\nin_port=1\n");
        assertThatThrownBy(() -> OvsCase.load(unknown)).hasMessageStartingWith(unknown + ":1: unknown section [packet]");
        Path noPacket = write("n.case", "[packets]\nin_port=1\n[deviations]\nzz actions 2 => 3 -- why\n");
        assertThatThrownBy(() -> OvsCase.load(noPacket)).hasMessage(noPacket + ":4: no packet called zz");
    }

    @Test
    void traceOutputGivesTheFirstPassLines() {
        OvsTrace t = OvsTrace.parse("Flow: x\n\nFinal flow: unchanged\nMegaflow: recirc_id=0,eth,in_port=1\n"
                + "Datapath actions: hash(l4(0)),recirc(0x1)\n\nrecirc(0x1)\nMegaflow: recirc_id=0x1,eth\n"
                + "Datapath actions: 2\n");
        assertThat(t.megaflow()).isEqualTo("recirc_id=0,eth,in_port=1");
        assertThat(t.datapathActions()).isEqualTo("hash(l4(0)),recirc(0x1)");
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
