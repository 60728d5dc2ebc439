package dev.jvswitch.afxdp.xdp;

import dev.jvswitch.afxdp.sys.Bpf;
import dev.jvswitch.afxdp.sys.Native;
import dev.jvswitch.pmd.netdev.sys.Where;
import dev.jvswitch.afxdp.sys.XdpSockets;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * A port's XDP program on its interface: an XSKMAP with a slot per rx queue, the
 * {@link RedirectProgram} loaded against it, and a BPF link that attaches the program in native
 * (driver) or generic (skb) mode. The link is a file descriptor: when the port closes it, or the
 * process dies however it dies (kill -9 included), the kernel detaches the program, so no
 * program is ever left behind on the interface.
 *
 * <p>Opening tries the attach modes asked for in order: a driver without native XDP refuses with
 * {@code EOPNOTSUPP} (or {@code EINVAL}) and the next mode is tried; an interface that already has
 * a program (someone else's) refuses with {@code EBUSY}/{@code EEXIST}, which ends the attempt with
 * a message saying so.
 *
 * <p><b>Thread-safety:</b> made, filled and closed by the control thread.
 */
public final class XdpAttachment implements AutoCloseable {
    /** How the program runs: in the driver, or on the skb after the driver made one. */
    public enum Attach {
        NATIVE(Native.XDP_FLAGS_DRV_MODE, "native"),
        GENERIC(Native.XDP_FLAGS_SKB_MODE, "generic");

        final int flags;
        private final String label;

        Attach(int flags, String label) {
            this.flags = flags;
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final int mapFd;
    private final int linkFd;
    private final Attach attach;
    private boolean closed;

    private XdpAttachment(int mapFd, int linkFd, Attach attach) {
        this.mapFd = mapFd;
        this.linkFd = linkFd;
        this.attach = attach;
    }

    /**
     * Makes the map, loads the program and attaches it to {@code ifindex} in the first of
     * {@code modes} the driver takes.
     *
     * @param queues XSKMAP slots (the port's rx queues)
     * @param driver the interface's driver name, for messages
     */
    public static XdpAttachment open(Where where, int ifindex, int queues, Attach[] modes, String driver)
            throws NetdevException {
        if (modes.length == 0) {
            throw new IllegalArgumentException("no XDP attach mode to try");
        }
        int mapFd = Bpf.createXskMap(queues, "jvs_xsks");
        if (mapFd < 0) {
            throw where.fail("bpf(BPF_MAP_CREATE, XSKMAP of " + queues + ")", -mapFd, permissionHint(-mapFd));
        }
        int progFd = -1;
        boolean ok = false;
        try {
            Bpf.Loaded prog = Bpf.loadXdpProgram(RedirectProgram.instructions(mapFd), RedirectProgram.LICENSE,
                    RedirectProgram.NAME);
            if (prog.fd() < 0) {
                String hint = prog.errno() == Syscalls.EPERM ? permissionHint(Syscalls.EPERM)
                        : "verifier: " + prog.verifierLog();
                throw where.fail("bpf(BPF_PROG_LOAD, XDP redirect to XSKMAP)", prog.errno(), hint);
            }
            progFd = prog.fd();
            NetdevException refused = null;
            for (Attach mode : modes) {
                int linkFd = Bpf.linkXdp(progFd, ifindex, mode.flags);
                if (linkFd >= 0) {
                    ok = true;
                    return new XdpAttachment(mapFd, linkFd, mode);
                }
                int err = -linkFd;
                String call = "bpf(BPF_LINK_CREATE, XDP " + mode.label() + ")";
                if (err == Syscalls.EBUSY || err == Syscalls.EEXIST) {
                    throw where.fail(call, err, "the interface already has an XDP program (another process's?):"
                            + " detach it (ip link set dev " + where.ifname() + " xdp off) or use another interface");
                }
                if (err == Syscalls.EPERM) {
                    throw where.fail(call, err, permissionHint(err));
                }
                refused = where.fail(call, err, mode == Attach.NATIVE
                        ? "driver " + driver + " has no native XDP; use xdp-mode generic or best-effort"
                        : "driver " + driver + " refuses XDP");
            }
            throw refused;
        } finally {
            XdpSockets.closeQuietly(progFd);   // the link holds the program
            if (!ok) {
                XdpSockets.closeQuietly(mapFd);
            }
        }
    }

    private static String permissionHint(int err) {
        return err == Syscalls.EPERM ? "AF_XDP ports need CAP_NET_ADMIN and CAP_BPF (or CAP_SYS_ADMIN, or root)"
                : "the kernel may lack BPF (CONFIG_BPF_SYSCALL) or XDP sockets (CONFIG_XDP_SOCKETS)";
    }

    /** The mode the program runs in. */
    public Attach attach() {
        return attach;
    }

    /** Sends queue {@code queue}'s frames to socket {@code xskFd} from now on. */
    public void insert(int queue, int xskFd, Where where) throws NetdevException {
        int rc = Bpf.updateElement(mapFd, queue, xskFd);
        if (rc < 0) {
            throw where.fail("bpf(BPF_MAP_UPDATE_ELEM, XSKMAP[" + queue + "])", -rc);
        }
    }

    /** Detaches the program (closing the link) and drops the map. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            XdpSockets.closeQuietly(linkFd);
            XdpSockets.closeQuietly(mapFd);
        }
    }
}
