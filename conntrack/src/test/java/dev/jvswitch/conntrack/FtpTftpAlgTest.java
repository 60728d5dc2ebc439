package dev.jvswitch.conntrack;

import static dev.jvswitch.conntrack.CtState.DNAT;
import static dev.jvswitch.conntrack.CtState.EST;
import static dev.jvswitch.conntrack.CtState.INV;
import static dev.jvswitch.conntrack.CtState.NEW;
import static dev.jvswitch.conntrack.CtState.REL;
import static dev.jvswitch.conntrack.CtState.RPL;
import static dev.jvswitch.conntrack.CtState.SNAT;
import static dev.jvswitch.conntrack.CtState.TRK;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * The FTP and TFTP ALGs frame by frame: the announcements (PORT, 227, EPRT, EPSV, a TFTP request)
 * make expectations, the data connection they announce is {@code new+rel} then {@code est+rel}
 * with the control connection's tuple as its original tuple, an address that is not the
 * connection's own is refused, and under SNAT the PORT text is rewritten with the TCP sequence
 * numbers of both directions moved to match (every checksum verified after each step).
 */
class FtpTftpAlgTest {
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final String CLIENT = "10.1.1.1";
    private static final String SERVER = "10.1.1.2";
    private static final String NAT_ADDR = "10.1.1.240";

    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("ct-alg", 32).withCacheSize(0));
    private final Conntrack ct = new Conntrack();
    private final CtContext ctx = ct.newContext();
    private final CtPacket check = new CtPacket();
    private final long now = 1_000;

    @AfterEach
    void close() {
        pool.close();
    }

    private static NatParams snat() {
        return new NatParams().set(NatParams.SRC, false, true, 0, ip(NAT_ADDR), 0, 0, 0, 0);
    }

    private static long ip(String text) {
        long v = 0;
        for (String part : text.split("\\.")) {
            v = v << 8 | Integer.parseInt(part);
        }
        return v;
    }

    /** Runs a frame through ct; its checksums must still verify. The caller puts it back. */
    private Mbuf run(FrameBuilder b, int flags, NatParams nat, int helper) {
        Mbuf m = CtTestPackets.load(pool, b);
        ct.execute(ctx, m, 0, flags, 0, 0, 0, 0, 0, 0, nat, helper, now);
        assertThat(check.extract(m, 0)).as("checksums and lengths still valid").isTrue();
        return m;
    }

    private int state(FrameBuilder b, int flags, NatParams nat, int helper) {
        Mbuf m = run(b, flags, nat, helper);
        int s = m.ctState();
        pool.put(m);
        return s;
    }

    private static FrameBuilder tcp(String src, String dst, int sport, int dport, int flags, long seq, long ack,
            String payload) {
        return Frames.tcp4().ip(src, dst).ports(sport, dport).tcpFlags(flags).seq(seq).ack(ack).window(65535)
                .payload(payload.getBytes(StandardCharsets.US_ASCII));
    }

    /** The control connection's handshake, committed with the FTP helper (and {@code nat} when given). */
    private void control(NatParams nat) {
        String srv = nat == null ? CLIENT : NAT_ADDR;
        assertThat(state(tcp(CLIENT, SERVER, 40000, 21, SYN, 1000, 0, ""), Conntrack.COMMIT, nat, CtAlg.FTP))
                .isEqualTo(NEW | TRK | (nat == null ? 0 : SNAT));
        assertThat(state(tcp(SERVER, srv, 21, 40000, SYN | ACK, 5000, 1001, ""), 0, nat == null ? null
                : new NatParams().bare(), CtAlg.NONE) & ~(SNAT | DNAT)).isEqualTo(EST | RPL | TRK);
        assertThat(state(tcp(CLIENT, SERVER, 40000, 21, ACK, 1001, 5001, ""), 0, nat == null ? null
                : new NatParams().bare(), CtAlg.NONE) & ~SNAT).isEqualTo(EST | TRK);
    }

    @Test
    void activeFtpPortOpensARelatedDataConnection() {
        control(null);
        String port = "PORT 10,1,1,1,195,80\r\n"; // 195 * 256 + 80 = 50000
        assertThat(state(tcp(CLIENT, SERVER, 40000, 21, PSH | ACK, 1001, 5001, port), Conntrack.COMMIT, null,
                CtAlg.FTP)).isEqualTo(EST | TRK);
        assertThat(ct.expectationsForTest()).containsExactly("tcp,zone=0,src=10.1.1.2,dst=10.1.1.1,sport=0,dport=50000");

        // The server's data connection from port 20: rel, carrying the control connection's tuple.
        Mbuf syn = run(tcp(SERVER, CLIENT, 20, 50000, SYN, 9000, 0, ""), 0, null, CtAlg.NONE);
        assertThat(syn.ctState()).isEqualTo(NEW | REL | TRK);
        assertThat(syn.ctOrigTpSrc()).isEqualTo(40000);
        assertThat(syn.ctOrigTpDst()).isEqualTo(21);
        pool.put(syn);
        assertThat(state(tcp(SERVER, CLIENT, 20, 50000, SYN, 9000, 0, ""), Conntrack.COMMIT, null, CtAlg.NONE))
                .isEqualTo(NEW | REL | TRK);
        assertThat(state(tcp(CLIENT, SERVER, 50000, 20, SYN | ACK, 7000, 9001, ""), 0, null, CtAlg.NONE))
                .isEqualTo(EST | REL | RPL | TRK);
        assertThat(ct.dump(-1, now)).extracting(e -> e.format(false, false)).containsExactlyInAnyOrder(
                "tcp,orig=(src=10.1.1.1,dst=10.1.1.2,sport=40000,dport=21),reply=(src=10.1.1.2,dst=10.1.1.1,sport=21,dport=40000),protoinfo=(state=ESTABLISHED),helper=ftp",
                "tcp,orig=(src=10.1.1.2,dst=10.1.1.1,sport=20,dport=50000),reply=(src=10.1.1.1,dst=10.1.1.2,sport=50000,dport=20),protoinfo=(state=ESTABLISHED)");
        assertThat(ct.dump(-1, now)).extracting(e -> e.format(true, false))
                .anyMatch(s -> s.endsWith(",parent=(src=10.1.1.1,dst=10.1.1.2,sport=40000,dport=21)"));

        // The expectation goes with its control connection.
        ct.flush(-1);
        assertThat(ct.expectationsForTest()).isEmpty();
        assertThat(state(tcp(SERVER, CLIENT, 20, 50000, SYN, 9000, 0, ""), 0, null, CtAlg.NONE)).isEqualTo(NEW | TRK);
    }

    @Test
    void passiveFtpReplyOpensARelatedDataConnectionFromTheClient() {
        control(null);
        String pasv = "227 Entering Passive Mode (10,1,1,2,195,81).\r\n";
        assertThat(state(tcp(SERVER, CLIENT, 21, 40000, PSH | ACK, 5001, 1001, pasv), 0, null, CtAlg.NONE))
                .isEqualTo(EST | RPL | TRK);
        assertThat(state(tcp(CLIENT, SERVER, 41000, 50001, SYN, 3000, 0, ""), Conntrack.COMMIT, null, CtAlg.NONE))
                .isEqualTo(NEW | REL | TRK);
        // A port nobody announced is not related.
        assertThat(state(tcp(CLIENT, SERVER, 41001, 50002, SYN, 3000, 0, ""), 0, null, CtAlg.NONE)).isEqualTo(NEW | TRK);
    }

    @Test
    void extendedModesAnnounceToo() {
        control(null);
        assertThat(state(tcp(CLIENT, SERVER, 40000, 21, PSH | ACK, 1001, 5001, "EPRT |1|10.1.1.1|6275|\r\n"), 0, null,
                CtAlg.NONE)).isEqualTo(EST | TRK);
        String epsv = "229 Entering Extended Passive Mode (|||6446|)\r\n";
        assertThat(state(tcp(SERVER, CLIENT, 21, 40000, PSH | ACK, 5001, 1025, epsv), 0, null, CtAlg.NONE))
                .isEqualTo(EST | RPL | TRK);
        assertThat(ct.expectationsForTest()).containsExactlyInAnyOrder(
                "tcp,zone=0,src=10.1.1.2,dst=10.1.1.1,sport=0,dport=6275",
                "tcp,zone=0,src=10.1.1.1,dst=10.1.1.2,sport=0,dport=6446");
    }

    @Test
    void ipv6EprtIsParsed() {
        String c6 = "2001:db8::1";
        String s6 = "2001:db8::2";
        assertThat(state(Frames.tcp6().ip(c6, s6).ports(40000, 21).tcpFlags(SYN).seq(1000).window(65535),
                Conntrack.COMMIT, null, CtAlg.FTP)).isEqualTo(NEW | TRK);
        assertThat(state(Frames.tcp6().ip(s6, c6).ports(21, 40000).tcpFlags(SYN | ACK).seq(5000).ack(1001)
                .window(65535), 0, null, CtAlg.NONE)).isEqualTo(EST | RPL | TRK);
        assertThat(state(Frames.tcp6().ip(c6, s6).ports(40000, 21).tcpFlags(PSH | ACK).seq(1001).ack(5001)
                .window(65535).payload("EPRT |2|2001:db8::1|50000|\r\n".getBytes(StandardCharsets.US_ASCII)), 0,
                null, CtAlg.NONE)).isEqualTo(EST | TRK);
        assertThat(state(Frames.tcp6().ip(s6, c6).ports(20, 50000).tcpFlags(SYN).seq(1).window(65535), 0, null,
                CtAlg.NONE)).isEqualTo(NEW | REL | TRK);
    }

    @Test
    void aPortNamingAThirdAddressIsInvalid() {
        control(null);
        assertThat(state(tcp(CLIENT, SERVER, 40000, 21, PSH | ACK, 1001, 5001, "PORT 10,9,9,9,195,80\r\n"), 0, null,
                CtAlg.NONE)).isEqualTo(EST | INV | TRK);
        assertThat(ct.expectationsForTest()).isEmpty();
        assertThat(state(tcp(CLIENT, SERVER, 40000, 21, PSH | ACK, 1001, 5001, "PORT 10,1,1,1,999,80\r\n"), 0, null,
                CtAlg.NONE) & INV).isEqualTo(INV);
    }

    @Test
    void withoutAHelperPortOpensNothing() {
        assertThat(state(tcp(CLIENT, SERVER, 40000, 21, SYN, 1000, 0, ""), Conntrack.COMMIT, null, CtAlg.NONE))
                .isEqualTo(NEW | TRK);
        assertThat(state(tcp(CLIENT, SERVER, 40000, 21, PSH | ACK, 1001, 0, "PORT 10,1,1,1,195,80\r\n"), 0, null,
                CtAlg.NONE) & REL).isZero();
        assertThat(ct.expectationsForTest()).isEmpty();
        // A helper named for the other protocol does nothing (OVS's ct_verify_helper).
        assertThat(state(Frames.udp4().ip(CLIENT, SERVER).ports(40001, 21), Conntrack.COMMIT, null, CtAlg.FTP))
                .isEqualTo(NEW | TRK);
        assertThat(ct.dump(-1, now)).extracting(e -> e.format(false, false)).noneMatch(s -> s.contains("helper"));
    }

    @Test
    void snatRewritesThePortTextAndSkewsTheSequenceNumbers() {
        NatParams nat = snat();
        NatParams bare = new NatParams().bare();
        control(nat);
        String port = "PORT 10,1,1,1,195,80\r\n";
        Mbuf m = run(tcp(CLIENT, SERVER, 40000, 21, PSH | ACK, 1001, 5001, port), Conntrack.COMMIT, nat, CtAlg.FTP);
        assertThat(m.ctState()).isEqualTo(EST | SNAT | TRK);
        String text = payload(m);
        assertThat(text).isEqualTo("PORT 10,1,1,240,195,80\r\n");
        assertThat(check.tcpPayloadLen).isEqualTo(port.length() + 2);
        assertThat(check.key.srcLo()).isEqualTo(ip(NAT_ADDR));
        pool.put(m);

        // The server acks the longer text; the client sees its own numbers.
        Mbuf ack = run(tcp(SERVER, NAT_ADDR, 21, 40000, ACK, 5001, 1001 + port.length() + 2, ""), 0, bare, CtAlg.NONE);
        assertThat(ack.ctState()).isEqualTo(EST | RPL | DNAT | TRK);
        assertThat(check.tcpAck).isEqualTo(1001 + port.length());
        pool.put(ack);
        // The client's next segment moves up by the two bytes.
        Mbuf next = run(tcp(CLIENT, SERVER, 40000, 21, PSH | ACK, 1001 + port.length(), 5001, "LIST\r\n"), 0, bare,
                CtAlg.NONE);
        assertThat(next.ctState()).isEqualTo(EST | SNAT | TRK);
        assertThat(check.tcpSeq).isEqualTo(1001 + port.length() + 2);
        pool.put(next);

        // The server's data connection to the NAT address reaches the client, un-NATed.
        Mbuf data = run(tcp(SERVER, NAT_ADDR, 20, 50000, SYN, 9000, 0, ""), Conntrack.COMMIT, bare, CtAlg.NONE);
        assertThat(data.ctState()).isEqualTo(NEW | REL | DNAT | TRK);
        assertThat(check.key.dstLo()).isEqualTo(ip(CLIENT));
        assertThat(check.key.tpDst()).isEqualTo(50000);
        pool.put(data);
        Mbuf synAck = run(tcp(CLIENT, SERVER, 50000, 20, SYN | ACK, 7000, 9001, ""), 0, bare, CtAlg.NONE);
        assertThat(synAck.ctState()).isEqualTo(EST | REL | RPL | SNAT | TRK);
        assertThat(check.key.srcLo()).isEqualTo(ip(NAT_ADDR));
        pool.put(synAck);
    }

    @Test
    void tftpExpectsTheServersAnswerFromAnotherPort() {
        assertThat(state(Frames.udp4().ip(CLIENT, SERVER).ports(40000, 69), Conntrack.COMMIT, null, CtAlg.TFTP))
                .isEqualTo(NEW | TRK);
        assertThat(ct.expectationsForTest()).containsExactly("udp,zone=0,src=10.1.1.2,dst=10.1.1.1,sport=0,dport=40000");
        assertThat(state(Frames.udp4().ip(SERVER, CLIENT).ports(50001, 40000), Conntrack.COMMIT, null, CtAlg.NONE))
                .isEqualTo(NEW | REL | TRK);
        assertThat(state(Frames.udp4().ip(CLIENT, SERVER).ports(40000, 50001), 0, null, CtAlg.NONE))
                .isEqualTo(EST | REL | RPL | TRK);
        assertThat(ct.dump(-1, now)).extracting(e -> e.format(false, false)).contains(
                "udp,orig=(src=10.1.1.1,dst=10.1.1.2,sport=40000,dport=69),reply=(src=10.1.1.2,dst=10.1.1.1,sport=69,dport=40000),helper=tftp");
    }

    private String payload(Mbuf m) {
        check.extract(m, 0);
        byte[] b = new byte[check.tcpPayloadLen];
        check.buf.getBytes(check.l4 + check.tcpHeaderLen, b);
        return new String(b, StandardCharsets.US_ASCII);
    }

    static int u16(Mbuf m, int at) {
        return m.buffer().getShort(m.dataOffset() + at, ByteOrder.BIG_ENDIAN) & 0xffff;
    }
}
