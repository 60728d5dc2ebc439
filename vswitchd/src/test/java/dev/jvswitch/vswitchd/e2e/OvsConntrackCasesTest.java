package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.sh.Sh;

/**
 * OVS's conntrack system tests ({@code tests/system-traffic.at}, "conntrack - ..."), their flow
 * tables and traffic reproduced against jvswitch in real namespaces ({@link OvsCtFixture}), each
 * expecting what OVS's case expects: the same transfers succeed or time out (curl's 0 or 28), the
 * same pings are answered or lost, and {@code dpctl/dump-conntrack} filtered by OVS's
 * {@code FORMAT_CT} prints OVS's lines. Addresses are OVS's with 10.1.1.N as 10.77.0.N. Where a
 * case's step needs what jvswitch does not offer, the method says what differs.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OvsConntrackCasesTest {
    private static final String TCP_ORIG = "tcp,orig=(src=10.77.0.%d,dst=10.77.0.%d,sport=<cleared>,dport=<cleared>),"
            + "reply=(src=10.77.0.%d,dst=10.77.0.%d,sport=<cleared>,dport=<cleared>)";

    private OvsCtFixture f;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Needs.that(Sh.onPath("python3") && Sh.onPath("curl"), "python3 and curl");
        f = new OvsCtFixture(dir);
    }

    @AfterAll
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static String tcp(int src, int dst, String extra) {
        return String.format(TCP_ORIG, src, dst, dst, src) + extra + "\n";
    }

    /** "conntrack - IPv4 ping", with OVS's flush by the partial tuple {@code ct_nw_src,ct_nw_dst}. */
    @Test
    void ipv4Ping() {
        f.flows("""
                priority=1,action=drop
                priority=10,arp,action=normal
                priority=100,in_port=1,icmp,action=ct(commit),2
                priority=100,in_port=2,icmp,ct_state=-trk,action=ct(table=0)
                priority=100,in_port=2,icmp,ct_state=+trk+est,action=1
                """);
        assertThat(f.ping(1, "10.77.0.2")).contains("3 packets transmitted, 3 received, 0% packet loss");
        assertThat(f.ct("10.77.0.2")).isEqualTo("icmp,orig=(src=10.77.0.1,dst=10.77.0.2,id=<cleared>,type=8,code=0),"
                + "reply=(src=10.77.0.2,dst=10.77.0.1,id=<cleared>,type=0,code=0)\n");
        f.d.ok("dpctl/flush-conntrack", "ct_nw_src=10.77.0.1,ct_nw_dst=10.77.0.2");
        assertThat(f.ct("10.77.0.2")).isEmpty();
        assertThat(f.ping(2, "10.77.0.1")).contains("100% packet loss");
    }

    /** "conntrack - get_nconns and get/set_maxconns" (the bad-datapath argument checks aside: one datapath here). */
    @Test
    void getNconnsAndGetSetMaxconns() {
        f.flows("""
                priority=1,action=drop
                priority=10,arp,action=normal
                priority=100,in_port=1,icmp,action=ct(commit),2
                priority=100,in_port=2,icmp,ct_state=-trk,action=ct(table=0)
                priority=100,in_port=2,icmp,ct_state=+trk+est,action=1
                """);
        try {
            assertThat(f.ping(1, "10.77.0.2")).contains("3 packets transmitted, 3 received, 0% packet loss");
            assertThat(f.ct("10.77.0.2")).startsWith("icmp,orig=(src=10.77.0.1,dst=10.77.0.2,id=<cleared>,type=8");
            assertThat(f.d.ctl("dpctl/ct-set-maxconns", "a").exit()).isNotZero();
            assertThat(f.d.ok("dpctl/ct-get-nconns")).isEqualTo("1\n");
            assertThat(f.d.ok("dpctl/ct-get-maxconns")).isEqualTo("3000000\n");
            assertThat(f.d.ok("dpctl/ct-set-maxconns", "10")).isEqualTo("setting maxconns successful\n");
            assertThat(f.d.ok("dpctl/ct-get-maxconns")).isEqualTo("10\n");
            f.d.ok("dpctl/flush-conntrack");
            assertThat(f.d.ok("dpctl/ct-get-nconns")).isEqualTo("0\n");
            assertThat(f.d.ok("dpctl/ct-get-maxconns")).isEqualTo("10\n");
        } finally {
            f.d.ok("dpctl/ct-set-maxconns", "3000000");
        }
    }

    /** "conntrack - IPv6 ping", with OVS's flush by the partial tuple {@code ct_ipv6_src,ct_ipv6_dst}. */
    @Test
    void ipv6Ping() {
        f.flows("""
                table=0,priority=10,icmp6,icmp_type=128,action=goto_table:1
                table=0,priority=10,icmp6,icmp_type=129,action=goto_table:1
                table=0,priority=1,action=normal
                table=1,priority=100,in_port=1,icmp6,action=ct(commit),2
                table=1,priority=100,in_port=2,icmp6,ct_state=-trk,action=ct(table=0)
                table=1,priority=100,in_port=2,icmp6,ct_state=+trk+est,action=1
                table=1,priority=1,action=drop
                """);
        f.awaitPing(1, "fc00::2");
        f.d.ok("dpctl/flush-conntrack");
        assertThat(f.ping(2, "fc00::1", "-w", "2")).contains("0 received, 100% packet loss");
        assertThat(f.ping(1, "fc00::2")).contains("3 packets transmitted, 3 received, 0% packet loss");
        assertThat(f.ct("fc00::2")).isEqualTo("icmpv6,orig=(src=fc00::1,dst=fc00::2,id=<cleared>,type=128,code=0),"
                + "reply=(src=fc00::2,dst=fc00::1,id=<cleared>,type=129,code=0)\n");
        f.d.ok("dpctl/flush-conntrack", "ct_ipv6_src=fc00::1,ct_ipv6_dst=fc00::2");
        assertThat(f.ct("fc00::2")).isEmpty();
    }

    /** "conntrack - preserve registers". */
    @Test
    void preserveRegisters() {
        f.flows("""
                priority=1,action=drop
                priority=10,arp,action=normal
                priority=10,icmp,action=normal
                priority=100,in_port=1,tcp,ct_state=-trk,action=ct(commit,table=0)
                priority=100,in_port=1,tcp,ct_state=+trk,action=2
                priority=100,in_port=2,tcp,ct_state=-trk,action=ct(table=0)
                priority=100,in_port=2,tcp,ct_state=+trk,action=1
                priority=100,in_port=3,tcp,ct_state=-trk,action=load:0->NXM_NX_REG0[],ct(table=0)
                priority=100,in_port=3,tcp,ct_state=+trk,reg0=0,action=load:1->NXM_NX_REG0[],ct(commit,table=0)
                priority=100,in_port=3,tcp,ct_state=+trk,reg0=1,action=4
                priority=100,in_port=4,tcp,ct_state=-trk,action=ct(commit,table=0)
                priority=100,in_port=4,tcp,ct_state=+trk,action=3
                """);
        assertThat(f.http(1, "10.77.0.2")).isZero();
        assertThat(f.http(3, "10.77.0.4")).isZero();
    }

    /** "conntrack - invalid". */
    @Test
    void invalid() {
        f.flows("""
                priority=1,action=drop
                priority=10,arp,action=normal
                priority=10,icmp,action=normal
                priority=100,in_port=1,tcp,action=ct(),2
                priority=100,in_port=2,ct_state=-trk,tcp,action=ct(table=0)
                priority=100,in_port=2,ct_state=+trk+new,tcp,action=1
                priority=100,in_port=3,tcp,action=ct(),4
                priority=100,in_port=4,ct_state=-trk,tcp,action=ct(table=0)
                priority=100,in_port=4,ct_state=+trk+inv,tcp,action=3
                priority=100,in_port=4,ct_state=+trk+new,tcp,action=3
                """);
        assertThat(f.http(1, "10.77.0.2")).isEqualTo(28);
        assertThat(f.http(3, "10.77.0.4")).isZero();
    }

    /** "conntrack - zones". */
    @Test
    void zones() {
        f.flows("""
                priority=1,action=drop
                priority=10,arp,action=normal
                priority=10,icmp,action=normal
                priority=100,in_port=1,tcp,action=ct(commit,zone=1),2
                priority=100,in_port=2,ct_state=-trk,tcp,action=ct(table=0,zone=1)
                priority=100,in_port=2,ct_state=+trk,ct_zone=1,tcp,action=1
                priority=100,in_port=3,tcp,action=ct(commit,zone=2),4
                priority=100,in_port=4,ct_state=-trk,tcp,action=ct(table=0,zone=2)
                priority=100,in_port=4,ct_state=+trk,ct_zone=1,tcp,action=3
                """);
        assertThat(f.http(1, "10.77.0.2")).isZero();
        assertThat(f.ct("10.77.0.2")).isEqualTo(tcp(1, 2, ",zone=1,protoinfo=(state=<cleared>)"));
        assertThat(f.http(3, "10.77.0.4")).isEqualTo(28);
        assertThat(f.ct("10.77.0.4")).isEqualTo(tcp(3, 4, ",zone=2,protoinfo=(state=<cleared>)"));
    }

    /** "conntrack - zones from field". */
    @Test
    void zonesFromField() {
        f.flows("""
                priority=1,action=drop
                priority=10,arp,action=normal
                priority=10,icmp,action=normal
                priority=100,in_port=1,tcp,action=load:0x1001->NXM_NX_REG0[0..15],ct(commit,zone=NXM_NX_REG0[0..15]),2
                priority=100,in_port=2,ct_state=-trk,tcp,action=load:0x1001->NXM_NX_REG0[0..15],ct(table=0,zone=NXM_NX_REG0[0..15])
                priority=100,in_port=2,ct_state=+trk,ct_zone=0x1001,tcp,action=1
                priority=100,in_port=3,tcp,action=load:0x1002->NXM_NX_REG0[0..15],ct(commit,zone=NXM_NX_REG0[0..15]),4
                priority=100,in_port=4,ct_state=-trk,tcp,action=load:0x1002->NXM_NX_REG0[0..15],ct(table=0,zone=NXM_NX_REG0[0..15])
                priority=100,in_port=4,ct_state=+trk,ct_zone=0x1001,tcp,action=3
                """);
        assertThat(f.http(1, "10.77.0.2")).isZero();
        assertThat(f.ct("10.77.0.2")).isEqualTo(tcp(1, 2, ",zone=4097,protoinfo=(state=<cleared>)"));
        assertThat(f.http(3, "10.77.0.4")).isEqualTo(28);
        assertThat(f.ct("10.77.0.4")).isEqualTo(tcp(3, 4, ",zone=4098,protoinfo=(state=<cleared>)"));
    }

    /** "conntrack - multiple zones". */
    @Test
    void multipleZones() {
        f.flows("""
                priority=1,action=drop
                priority=10,arp,action=normal
                priority=10,icmp,action=normal
                priority=100,in_port=1,tcp,action=ct(commit,zone=1),ct(commit,zone=2),2
                priority=100,in_port=2,ct_state=-trk,tcp,action=ct(table=0,zone=2)
                priority=100,in_port=2,ct_state=+trk,ct_zone=2,tcp,action=1
                """);
        assertThat(f.http(1, "10.77.0.2")).isZero();
        assertThat(f.http(1, "10.77.0.2")).isZero();
        assertThat(f.ct("10.77.0.2")).isEqualTo(tcp(1, 2, ",zone=1,protoinfo=(state=<cleared>)")
                + tcp(1, 2, ",zone=2,protoinfo=(state=<cleared>)"));
    }

    /** "conntrack - ct_mark". */
    @Test
    void ctMark() {
        f.flows("""
                priority=1,action=drop
                priority=10,arp,action=normal
                priority=10,icmp,action=normal
                priority=100,in_port=1,tcp,action=ct(commit,exec(set_field:1->ct_mark)),2
                priority=100,in_port=2,ct_state=-trk,tcp,action=ct(table=0)
                priority=100,in_port=2,ct_state=+trk,ct_mark=1,tcp,action=1
                priority=100,in_port=3,tcp,action=ct(commit,exec(set_field:2->ct_mark)),4
                priority=100,in_port=4,ct_state=-trk,tcp,action=ct(table=0)
                priority=100,in_port=4,ct_state=+trk,ct_mark=1,tcp,action=3
                """);
        assertThat(f.http(1, "10.77.0.2")).isZero();
        assertThat(f.ct("10.77.0.2")).isEqualTo(tcp(1, 2, ",mark=1,protoinfo=(state=<cleared>)"));
        assertThat(f.http(3, "10.77.0.4")).isEqualTo(28);
        assertThat(f.ct("10.77.0.4")).isEqualTo(tcp(3, 4, ",mark=2,protoinfo=(state=<cleared>)"));
    }

    /** "conntrack - ct_mark from register". */
    @Test
    void ctMarkFromRegister() {
        f.flows("""
                priority=1,action=drop
                priority=10,arp,action=normal
                priority=10,icmp,action=normal
                priority=100,in_port=1,tcp,action=load:1->NXM_NX_REG0[0..31],ct(commit,exec(move:NXM_NX_REG0[0..31]->NXM_NX_CT_MARK[])),2
                priority=100,in_port=2,ct_state=-trk,tcp,action=ct(table=0)
                priority=100,in_port=2,ct_state=+trk,ct_mark=1,tcp,action=1
                priority=100,in_port=3,tcp,action=load:2->NXM_NX_REG0[0..31],ct(commit,exec(move:NXM_NX_REG0[0..31]->NXM_NX_CT_MARK[])),4
                priority=100,in_port=4,ct_state=-trk,tcp,action=ct(table=0)
                priority=100,in_port=4,ct_state=+trk,ct_mark=1,tcp,action=3
                """);
        assertThat(f.http(1, "10.77.0.2")).isZero();
        assertThat(f.ct("10.77.0.2")).isEqualTo(tcp(1, 2, ",mark=1,protoinfo=(state=<cleared>)"));
        assertThat(f.http(3, "10.77.0.4")).isEqualTo(28);
        assertThat(f.ct("10.77.0.4")).isEqualTo(tcp(3, 4, ",mark=2,protoinfo=(state=<cleared>)"));
    }

    /** "conntrack - ct_label". */
    @Test
    void ctLabel() {
        f.flows("""
                priority=1,action=drop
                priority=10,arp,action=normal
                priority=10,icmp,action=normal
                priority=100,in_port=1,tcp,action=ct(commit,exec(set_field:0x0a000d000005000001->ct_label)),2
                priority=100,in_port=2,ct_state=-trk,tcp,action=ct(table=0)
                priority=100,in_port=2,ct_state=+trk,ct_label=0x0a000d000005000001,tcp,action=1
                priority=100,in_port=3,tcp,action=ct(commit,exec(set_field:0x2->ct_label)),4
                priority=100,in_port=4,ct_state=-trk,tcp,action=ct(table=0)
                priority=100,in_port=4,ct_state=+trk,ct_label=0x0a000d000005000001,tcp,action=3
                """);
        assertThat(f.http(1, "10.77.0.2")).isZero();
        assertThat(f.http(3, "10.77.0.4")).isEqualTo(28);
    }

    /**
     * "conntrack - ICMP related": the port-unreachable error for h1's UDP datagram is related and
     * reaches h1 (its socket sees the refusal; OVS sends with nc), and the flows count what OVS's do.
     */
    @Test
    void icmpRelated() {
        f.flows("""
                priority=1,action=drop
                priority=10,arp,action=normal
                priority=100,in_port=1,udp,action=ct(commit,exec(set_field:1->ct_mark)),2
                priority=100,in_port=2,icmp,ct_state=-trk,action=ct(table=0)
                priority=100,in_port=2,icmp,ct_state=+trk+rel,ct_mark=1,action=1
                """);
        Sh.Result r = Sh.tryInNs(f.hosts.hostNs(1), "python3", "-c", "import socket\n"
                + "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.settimeout(3); s.connect(('10.77.0.2',10000))\n"
                + "s.send(b'a\\n')\n"
                + "try:\n s.recv(10); print('reply')\n"
                + "except ConnectionRefusedError: print('refused')\n"
                + "except socket.timeout: print('timeout')\n");
        assertThat(r.output().trim()).isEqualTo("refused");
        f.flowsWhen("n_packets=1, n_bytes=44, .*priority=100,.*udp.*actions=ct\\(commit,exec",
                "n_packets=1, n_bytes=72, .*priority=100,ct_state=\\+rel\\+trk,ct_mark=0x1",
                "n_packets=1, n_bytes=72, .*priority=100,ct_state=-trk,icmp");
    }

    /** "conntrack - IPv4 HTTP". */
    @Test
    void ipv4Http() {
        f.flows("""
                priority=1,action=drop
                priority=10,arp,action=normal
                priority=10,icmp,action=normal
                priority=100,in_port=1,tcp,action=ct(commit),2
                priority=100,in_port=2,ct_state=-trk,tcp,action=ct(table=0)
                priority=100,in_port=2,ct_state=+trk+est,tcp,action=1
                """);
        assertThat(f.http(1, "10.77.0.2")).isZero();
        assertThat(f.ct("10.77.0.2")).isEqualTo(tcp(1, 2, ",protoinfo=(state=<cleared>)"));
        assertThat(f.http(2, "10.77.0.1")).isEqualTo(28);
    }

    /** "conntrack - IPv6 HTTP". */
    @Test
    void ipv6Http() {
        f.flows("""
                priority=1,action=drop
                priority=10,icmp6,action=normal
                priority=100,in_port=1,tcp6,action=ct(commit),2
                priority=100,in_port=2,ct_state=-trk,tcp6,action=ct(table=0)
                priority=100,in_port=2,ct_state=+trk+est,tcp6,action=1
                """);
        f.awaitPing(1, "fc00::2");
        assertThat(f.http(1, "http://[fc00::2]")).isZero();
        assertThat(f.ct("fc00::2")).isEqualTo("tcp,orig=(src=fc00::1,dst=fc00::2,sport=<cleared>,dport=<cleared>),"
                + "reply=(src=fc00::2,dst=fc00::1,sport=<cleared>,dport=<cleared>),protoinfo=(state=<cleared>)\n");
        assertThat(f.http(2, "http://[fc00::1]")).isEqualTo(28);
    }

    /** "conntrack - commit, recirc". */
    @Test
    void commitRecirc() {
        f.flows("""
                priority=1,action=drop
                priority=10,arp,action=normal
                priority=10,icmp,action=normal
                priority=100,in_port=1,tcp,ct_state=-trk,action=ct(commit,table=0)
                priority=100,in_port=1,tcp,ct_state=+trk,action=2
                priority=100,in_port=2,tcp,ct_state=-trk,action=ct(table=0)
                priority=100,in_port=2,tcp,ct_state=+trk,action=1
                priority=100,in_port=3,tcp,ct_state=-trk,action=set_field:0->metadata,ct(table=0)
                priority=100,in_port=3,tcp,ct_state=+trk,metadata=0,action=set_field:1->metadata,ct(commit,table=0)
                priority=100,in_port=3,tcp,ct_state=+trk,metadata=1,action=4
                priority=100,in_port=4,tcp,ct_state=-trk,action=ct(commit,table=0)
                priority=100,in_port=4,tcp,ct_state=+trk,action=3
                """);
        assertThat(f.http(1, "10.77.0.2")).isZero();
        assertThat(f.http(3, "10.77.0.4")).isZero();
    }
}
