package dev.jvswitch.afxdp;

import java.util.List;

import dev.jvswitch.afxdp.sys.Native;
import dev.jvswitch.afxdp.sys.Promiscuous;
import dev.jvswitch.pmd.netdev.sys.Where;
import dev.jvswitch.afxdp.sys.XdpSockets;
import dev.jvswitch.afxdp.xdp.XdpAttachment;
import dev.jvswitch.afxdp.xsk.XskRxCounters;
import dev.jvswitch.afxdp.xsk.XskSocket;
import dev.jvswitch.afxdp.xsk.Umem;
import dev.jvswitch.pmd.netdev.NetdevException;

/**
 * What an AF_XDP port holds on one incarnation of its interface (one ifindex): the XDP program
 * and its XSKMAP ({@link XdpAttachment}), one socket per rx queue (queue {@code i} of the
 * interface; the first {@code txqs} of them also transmit), and the promiscuous-mode descriptor.
 * When the interface is deleted and made again, the port retires this and opens a new one.
 *
 * <p><b>Opening</b> goes from the XDP mode asked for to the one the interface takes: attach the
 * program (native, then generic in best-effort), then bind every socket (zero-copy, then copy in
 * best-effort on a native attach); queue 0 settles the bind mode, the other queues must take the
 * same. Each socket goes into the XSKMAP once its fill ring has its frames. Whatever fails, all
 * that was made is undone and its frames go back to the pool.
 *
 * <p><b>Thread-safety:</b> made and closed by the control thread; the sockets are handed to the
 * queues under their guards.
 */
final class PortSockets {
    private final XdpAttachment attachment;
    private final XskSocket[] sockets;
    private final int promiscFd;
    private final XdpMode mode;
    private final int ifindex;

    private PortSockets(XdpAttachment attachment, XskSocket[] sockets, int promiscFd, XdpMode mode, int ifindex) {
        this.attachment = attachment;
        this.sockets = sockets;
        this.promiscFd = promiscFd;
        this.mode = mode;
        this.ifindex = ifindex;
    }

    /**
     * Attaches, opens and binds everything for {@code ifindex}, and fills the fill rings from the
     * pool (counting a short pool in {@code rxCounters[i]}).
     */
    static PortSockets open(Where where, AfXdpOptions options, Umem umem, int ifindex, String driver,
            XskRxCounters[] rxCounters) throws NetdevException {
        XdpAttachment attachment = XdpAttachment.open(where, ifindex, options.rxqs(),
                options.xdpMode().attachModes(), driver);
        XskSocket[] sockets = new XskSocket[options.rxqs()];
        int promiscFd = -1;
        boolean ok = false;
        try {
            XskSocket.Bind bind = new XskSocket.Bind(options.xdpMode().bindModes(attachment.attach()),
                    options.useNeedWakeup());
            for (int q = 0; q < sockets.length; q++) {
                sockets[q] = XskSocket.open(where, umem, ifindex, q, options.rxqDesc(),
                        q < options.txqs() ? options.txqDesc() : 0, bind);
                if (q == 0) {
                    // The other queues take the mode queue 0 got.
                    bind = new XskSocket.Bind(List.of(sockets[0].zeroCopy() ? Native.XDP_ZEROCOPY : Native.XDP_COPY),
                            options.useNeedWakeup());
                }
                sockets[q].rx().refill(null, rxCounters[q]);
                attachment.insert(q, sockets[q].fd(), where);
            }
            if (options.promiscuous()) {
                promiscFd = Promiscuous.enable(ifindex, where);
            }
            XdpMode got = XdpMode.inUse(attachment.attach(), sockets[0].zeroCopy());
            ok = true;
            return new PortSockets(attachment, sockets, promiscFd, got, ifindex);
        } finally {
            if (!ok) {
                XdpSockets.closeQuietly(promiscFd);
                attachment.close();
                for (XskSocket s : sockets) {
                    if (s != null) {
                        s.close();
                        s.reclaim();
                    }
                }
            }
        }
    }

    /** The XDP mode the port got. */
    XdpMode mode() {
        return mode;
    }

    int ifindex() {
        return ifindex;
    }

    /** Socket of queue {@code q}. */
    XskSocket socket(int q) {
        return sockets[q];
    }

    int size() {
        return sockets.length;
    }

    /** Binds refused with EBUSY before they succeeded, over every socket. */
    int bindRetries() {
        int n = 0;
        for (XskSocket s : sockets) {
            n += s.bindRetries();
        }
        return n;
    }

    /**
     * Detaches the program and leaves promiscuous mode. The sockets are closed and their frames
     * reclaimed by the port, under each queue's guard, before this.
     */
    void closeAttachment() {
        attachment.close();
        XdpSockets.closeQuietly(promiscFd);
    }
}
