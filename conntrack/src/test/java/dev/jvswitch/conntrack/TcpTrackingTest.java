package dev.jvswitch.conntrack;

import static dev.jvswitch.conntrack.CtState.EST;
import static dev.jvswitch.conntrack.CtState.INV;
import static dev.jvswitch.conntrack.CtState.NEW;
import static dev.jvswitch.conntrack.CtState.RPL;
import static dev.jvswitch.conntrack.CtState.TRK;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.frame.Frames;

class TcpTrackingTest {
    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int ACK = 0x10;

    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("ct-tcp", 16).withCacheSize(0));
    private final Conntrack ct = new Conntrack();
    private final CtContext ctx = ct.newContext();

    @AfterEach
    void close() {
        pool.close();
    }

    /** A segment from the client (10.0.0.1:40000) or the server (10.0.0.2:80). */
    private int seg(boolean fromClient, int flags, long seq, long ack, int payload, boolean commit) {
        var b = Frames.tcp4().tcpFlags(flags).seq(seq).ack(ack).window(65535).payload(new byte[payload]);
        b = fromClient ? b.ip("10.0.0.1", "10.0.0.2").ports(40000, 80) : b.ip("10.0.0.2", "10.0.0.1").ports(80, 40000);
        Mbuf m = CtTestPackets.load(pool, b);
        ct.execute(ctx, m, 0, commit ? Conntrack.COMMIT : 0, 0, 0, 0, 0, 0, 0, 1000);
        int s = m.ctState();
        pool.put(m);
        return s;
    }

    private void handshake() {
        assertThat(seg(true, SYN, 1000, 0, 0, true)).isEqualTo(NEW | TRK);
        assertThat(seg(false, SYN | ACK, 5000, 1001, 0, false)).isEqualTo(EST | RPL | TRK);
        assertThat(seg(true, ACK, 1001, 5001, 0, false)).isEqualTo(EST | TRK);
    }

    @Test
    void handshakeDataAndCloseFollowTheStateMachine() {
        handshake();
        assertThat(seg(true, ACK, 1001, 5001, 100, false)).isEqualTo(EST | TRK);
        assertThat(seg(false, ACK, 5001, 1101, 200, false)).isEqualTo(EST | RPL | TRK);
        assertThat(ct.dump(-1, 1000)).extracting(e -> e.format(false, false)).containsExactly(
                "tcp,orig=(src=10.0.0.1,dst=10.0.0.2,sport=40000,dport=80),reply=(src=10.0.0.2,dst=10.0.0.1,sport=80,dport=40000),protoinfo=(state=ESTABLISHED)");
        assertThat(seg(true, FIN | ACK, 1101, 5201, 0, false)).isEqualTo(EST | TRK);
        assertThat(seg(false, FIN | ACK, 5201, 1102, 0, false)).isEqualTo(EST | RPL | TRK);
        assertThat(seg(true, ACK, 1102, 5202, 0, false)).isEqualTo(EST | TRK);
        assertThat(ct.dump(-1, 1000).get(0).format(false, false)).endsWith("protoinfo=(state=TIME_WAIT)");
    }

    @Test
    void outOfWindowSegmentIsInvalidUnlessSeqCheckIsOff() {
        handshake();
        assertThat(seg(true, ACK, 1001 + 10_000_000, 5001, 10, false)).isEqualTo(INV | TRK);
        ct.config().tcpSeqChk(false);
        assertThat(seg(true, ACK, 1001 + 10_000_000, 5001, 10, false)).isEqualTo(EST | TRK);
    }

    @Test
    void synAckCannotOpenAndBadFlagsAreInvalid() {
        assertThat(seg(true, SYN | ACK, 1, 1, 0, true)).isEqualTo(INV | TRK);
        assertThat(seg(true, SYN | FIN, 1, 0, 0, true)).isEqualTo(INV | TRK);
        assertThat(seg(true, 0, 1, 0, 0, true)).isEqualTo(INV | TRK);
        assertThat(ct.connectionCount()).isZero();
    }

    @Test
    void midStreamPickupIsNewThenEstablished() {
        assertThat(seg(true, ACK, 777_000, 888_000, 50, true)).isEqualTo(NEW | TRK);
        assertThat(seg(false, ACK, 888_000, 777_050, 50, false)).isEqualTo(EST | RPL | TRK);
    }

    @Test
    void resetMovesToTimeWaitAndSynReopens() {
        handshake();
        assertThat(seg(true, RST | ACK, 1001, 5001, 0, false)).isEqualTo(EST | TRK);
        assertThat(ct.dump(-1, 1000).get(0).format(true, false)).contains("state_orig=TIME_WAIT,state_reply=TIME_WAIT");
        assertThat(seg(true, SYN, 90_000, 0, 0, true)).isEqualTo(NEW | TRK);
        assertThat(ct.connectionCount()).isEqualTo(1);
        assertThat(ct.dump(-1, 1000).get(0).format(true, false)).contains("state_orig=SYN_SENT,state_reply=CLOSED");
    }
}
