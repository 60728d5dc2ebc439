package dev.jvswitch.conntrack;

import static dev.jvswitch.conntrack.CtPacket.TCP_ACK;
import static dev.jvswitch.conntrack.CtPacket.TCP_FIN;
import static dev.jvswitch.conntrack.CtPacket.TCP_PSH;
import static dev.jvswitch.conntrack.CtPacket.TCP_RST;
import static dev.jvswitch.conntrack.CtPacket.TCP_SYN;
import static dev.jvswitch.conntrack.CtPacket.TCP_URG;


import dev.jvswitch.conntrack.Conn.TcpPeer;

/**
 * TCP state and sequence tracking with the semantics of OVS's userspace conntrack, which follows
 * pf (Guido van Rooij's window checks): each peer keeps the highest sequence it sent
 * ({@code seqLo}), the highest the other end may send ({@code seqHi}: its ack plus window), its
 * largest window and its window scale. A segment outside the window is {@code inv}; a SYN on a
 * connection both of whose peers finished reopens it; a mid-stream pickup (first packet without
 * SYN) starts with unknown window scales and liberal checks. With sequence checking switched off
 * ({@code ct-disable-tcp-seq-chk}) every segment with valid flags passes the window test.
 *
 * <p>Callers hold the connection's monitor.
 */
final class TcpTracker {
    /** Outcome of {@link #update}. */
    static final int VALID = 0;
    static final int INVALID = 1;
    /** A new SYN on a closed connection: the caller replaces it by a new one. */
    static final int NEW = 2;

    private static final int MAX_WSCALE = 14;
    private static final int WSCALE_FLAG = 0x80;
    private static final int WSCALE_UNKNOWN = 0x40;
    private static final int WSCALE_MASK = 0xf;
    /** One full window plus a 1500-byte fudge, as pf and OVS allow for ack skew. */
    private static final int MAX_ACK_WINDOW = 0xffff + 1500;

    private TcpTracker() {
    }

    /** Flag combinations no valid segment carries (pf's normalisation check). */
    static boolean invalidFlags(int flags) {
        if ((flags & TCP_SYN) != 0) {
            if ((flags & (TCP_RST | TCP_FIN)) != 0) {
                return true;
            }
        } else if ((flags & (TCP_ACK | TCP_RST)) == 0) {
            return true;
        }
        return (flags & TCP_ACK) == 0 && (flags & (TCP_FIN | TCP_PSH | TCP_URG)) != 0;
    }

    /** Sets up a new connection's peers from its first packet; returns the timeout class to use. */
    static CtTimeouts onNew(Conn c, CtPacket p) {
        TcpPeer src = c.peer(0);
        TcpPeer dst = c.peer(1);
        src.seqLo = p.tcpSeq;
        src.seqHi = p.tcpSeq + p.tcpPayloadLen + 1;
        if ((p.tcpFlags & TCP_SYN) != 0) {
            src.seqHi++;
            src.wscale = windowScale(p);
        } else {
            src.wscale = WSCALE_UNKNOWN;
            dst.wscale = WSCALE_UNKNOWN;
        }
        src.maxWin = Math.max(p.tcpWin, 1);
        if ((src.wscale & WSCALE_MASK) != 0) {
            int sws = src.wscale & WSCALE_MASK;
            src.maxWin = divRoundUp(src.maxWin, 1 << sws);
        }
        if ((p.tcpFlags & TCP_FIN) != 0) {
            src.seqHi++;
        }
        dst.seqHi = 1;
        dst.maxWin = 1;
        src.state = TcpState.SYN_SENT;
        dst.state = TcpState.CLOSED;
        return CtTimeouts.TCP_FIRST_PACKET;
    }

    /** Updates {@code c} with a packet of direction {@code reply}; sets its expiry when valid. */
    static int update(Conn c, CtPacket p, boolean reply, long nowMs, CtConfig config) {
        TcpPeer src = c.peer(reply ? 1 : 0);
        TcpPeer dst = c.peer(reply ? 0 : 1);
        int flags = p.tcpFlags;
        if (invalidFlags(flags)) {
            return INVALID;
        }
        if ((flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && dst.state >= TcpState.FIN_WAIT_2
                && src.state >= TcpState.FIN_WAIT_2) {
            src.state = TcpState.CLOSED;
            dst.state = TcpState.CLOSED;
            return NEW;
        }
        int sws = 0;
        int dws = 0;
        if ((src.wscale & WSCALE_FLAG) != 0 && (dst.wscale & WSCALE_FLAG) != 0 && (flags & TCP_SYN) == 0) {
            sws = src.wscale & WSCALE_MASK;
            dws = dst.wscale & WSCALE_MASK;
        } else if ((src.wscale & WSCALE_UNKNOWN) != 0 && (dst.wscale & WSCALE_UNKNOWN) != 0
                && (flags & TCP_SYN) == 0) {
            sws = MAX_WSCALE;
            dws = MAX_WSCALE;
        }
        int win = p.tcpWin;
        int seq = p.tcpSeq;
        int origSeq = seq;
        int ack = p.tcpAck;
        int end = seq + p.tcpPayloadLen;
        boolean checkAckSkew = true;
        if ((flags & TCP_SYN) != 0) {
            end++;
        }
        if ((flags & TCP_FIN) != 0) {
            end++;
        }
        if (src.state < TcpState.SYN_SENT) {
            // First packet from this end.
            if ((flags & TCP_SYN) != 0 && (dst.wscale & WSCALE_FLAG) != 0) {
                src.wscale = windowScale(p);
                if ((src.wscale & WSCALE_FLAG) != 0) {
                    sws = src.wscale & WSCALE_MASK;
                    win = divRoundUp(win, 1 << sws);
                    dws = dst.wscale & WSCALE_MASK;
                } else {
                    dst.maxWin <<= dst.wscale & WSCALE_MASK;
                    dst.wscale = 0;
                }
            }
            src.seqLo = seq;
            src.state = TcpState.SYN_SENT;
            int reach = end + Math.max(1, dst.maxWin << dws);
            if (src.seqHi == 1 || seqGeq(reach, src.seqHi)) {
                src.seqHi = reach;
                checkAckSkew = false;
            }
            if (win > src.maxWin) {
                src.maxWin = win;
            }
        }
        if ((flags & TCP_ACK) == 0 || (ack == 0 && (flags & (TCP_ACK | TCP_RST)) == (TCP_ACK | TCP_RST))) {
            ack = dst.seqLo;
        }
        if (seq == end) {
            seq = src.seqLo;
            end = seq;
        }
        int ackSkew = checkAckSkew ? dst.seqLo - ack : 0;
        boolean inWindow = !config.tcpSeqChk()
                || (seqGeq(src.seqHi, end)
                    && seqGeq(seq, src.seqLo - (dst.maxWin << dws))
                    && ackSkew >= -MAX_ACK_WINDOW
                    && ackSkew <= (MAX_ACK_WINDOW << sws)
                    && ((flags & TCP_RST) == 0 || origSeq == src.seqLo || origSeq == src.seqLo + 1
                        || origSeq + 1 == src.seqLo));
        if (inWindow) {
            slide(src, dst, win, end, ack, sws);
            if ((flags & TCP_SYN) != 0 && src.state < TcpState.SYN_SENT) {
                src.state = TcpState.SYN_SENT;
            }
            if ((flags & TCP_FIN) != 0 && src.state < TcpState.CLOSING) {
                src.state = TcpState.CLOSING;
            }
            if ((flags & TCP_ACK) != 0) {
                if (dst.state == TcpState.SYN_SENT) {
                    dst.state = TcpState.ESTABLISHED;
                } else if (dst.state == TcpState.CLOSING) {
                    dst.state = TcpState.FIN_WAIT_2;
                }
            }
            if ((flags & TCP_RST) != 0) {
                src.state = TcpState.TIME_WAIT;
                dst.state = TcpState.TIME_WAIT;
            }
            c.expireIn(timeoutFor(src.state, dst.state), nowMs, config);
            return VALID;
        }
        if ((dst.state < TcpState.SYN_SENT || dst.state >= TcpState.FIN_WAIT_2 || src.state >= TcpState.FIN_WAIT_2)
                && seqGeq(src.seqHi + MAX_ACK_WINDOW, end)
                && seqGeq(seq, src.seqLo - MAX_ACK_WINDOW)) {
            // Shotgunned SYNs, a stream picked up after a flush, packets just after a close:
            // accepted without refreshing the expiry, so a flood cannot keep the entry alive.
            slide(src, dst, win, end, ack, sws);
            if ((flags & TCP_FIN) != 0 && src.state < TcpState.CLOSING) {
                src.state = TcpState.CLOSING;
            }
            if ((flags & TCP_RST) != 0) {
                src.state = TcpState.TIME_WAIT;
                dst.state = TcpState.TIME_WAIT;
            }
            return VALID;
        }
        return INVALID;
    }

    private static void slide(TcpPeer src, TcpPeer dst, int win, int end, int ack, int sws) {
        if (src.maxWin < win) {
            src.maxWin = win;
        }
        if (seqGt(end, src.seqLo)) {
            src.seqLo = end;
        }
        if (seqGeq(ack + (win << sws), dst.seqHi)) {
            dst.seqHi = ack + Math.max(win << sws, 1);
        }
    }

    private static CtTimeouts timeoutFor(int s, int d) {
        if (s >= TcpState.FIN_WAIT_2 && d >= TcpState.FIN_WAIT_2) {
            return CtTimeouts.TCP_CLOSED;
        } else if (s >= TcpState.CLOSING && d >= TcpState.CLOSING) {
            return CtTimeouts.TCP_FIN_WAIT;
        } else if (s < TcpState.ESTABLISHED || d < TcpState.ESTABLISHED) {
            return CtTimeouts.TCP_OPENING;
        } else if (s >= TcpState.CLOSING || d >= TcpState.CLOSING) {
            return CtTimeouts.TCP_CLOSING;
        }
        return CtTimeouts.TCP_ESTABLISHED;
    }

    /** The window scale option of a SYN, with {@link #WSCALE_FLAG} when present; 0 when absent. */
    static int windowScale(CtPacket p) {
        int len = p.tcpHeaderLen - 20;
        int opt = p.l4 + 20;
        int wscale = 0;
        while (len >= 3) {
            int kind = p.buf.getByte(opt) & 0xff;
            if (kind == 0) {
                return wscale;
            }
            if (kind == 1) {
                opt++;
                len--;
                continue;
            }
            if (kind == 3) {
                wscale = Math.min(p.buf.getByte(opt + 2) & 0xff, MAX_WSCALE) | WSCALE_FLAG;
            }
            int optLen = Math.max(p.buf.getByte(opt + 1) & 0xff, 2);
            len -= optLen;
            opt += optLen;
        }
        return wscale;
    }

    static boolean seqGeq(int a, int b) {
        return a - b >= 0;
    }

    static boolean seqGt(int a, int b) {
        return a - b > 0;
    }

    private static int divRoundUp(int x, int y) {
        return (x + y - 1) / y;
    }

    /** OVS's protoinfo flags of peer {@code i}: 1 window scale, 8 be-liberal (scale unknown). */
    static int peerFlags(Conn c, int i) {
        int w = c.peer(i).wscale;
        return ((w & WSCALE_FLAG) != 0 ? 1 : 0) | ((w & WSCALE_UNKNOWN) != 0 ? 8 : 0);
    }

    static int peerWscale(Conn c, int i) {
        return c.peer(i).wscale & WSCALE_MASK;
    }

}
