package dev.jvswitch.afxdp.sys;

import static dev.jvswitch.pmd.netdev.sys.Syscalls.LIBC;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.jvswitch.pmd.netdev.sys.Scratch;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * The {@code bpf(2)} commands the port uses, each with its {@code union bpf_attr} laid out by
 * hand in a zeroed buffer (the kernel refuses non-zero bytes past the fields a command knows):
 * make an XSKMAP, put a socket in it, load a program, and attach it to an interface with a BPF
 * link. Each returns a file descriptor, or {@code -errno}.
 *
 * <p>Runs on the control thread when a port opens; a small direct buffer per call.
 */
public final class Bpf {
    private static final int OBJ_NAME_BYTES = 16;
    private static final int LOG_BYTES = 64 * 1024;

    private Bpf() {
    }

    /** {@code BPF_MAP_CREATE} of an XSKMAP with {@code entries} slots (one per queue); fd or -errno. */
    public static int createXskMap(int entries, String name) {
        ByteBuffer attr = Scratch.direct(Native.BPF_ATTR_BYTES);
        attr.putInt(0, Native.BPF_MAP_TYPE_XSKMAP);
        attr.putInt(4, 4);          // key_size: the queue id
        attr.putInt(8, 4);          // value_size: the socket's fd
        attr.putInt(12, entries);   // max_entries
        putName(attr, 28, name);    // map_name
        return (int) call(Native.BPF_MAP_CREATE, attr);
    }

    /** {@code BPF_MAP_UPDATE_ELEM}: {@code map[key] = value}; 0 or -errno. */
    public static int updateElement(int mapFd, int key, int value) {
        ByteBuffer kv = Scratch.direct(8);
        kv.putInt(0, key);
        kv.putInt(4, value);
        ByteBuffer attr = Scratch.direct(Native.BPF_ATTR_BYTES);
        long kvAddress = Scratch.address(kv);
        attr.putInt(0, mapFd);
        attr.putLong(8, kvAddress);
        attr.putLong(16, kvAddress + 4);
        attr.putLong(24, 0);        // BPF_ANY
        try {
            return (int) call(Native.BPF_MAP_UPDATE_ELEM, attr);
        } finally {
            Reference.reachabilityFence(kv);
        }
    }

    /** A loaded program's fd, or the reason it was refused. */
    public record Loaded(int fd, int errno, String verifierLog) {
    }

    /**
     * {@code BPF_PROG_LOAD} of an XDP program (expected attach type {@code BPF_XDP}, as libbpf
     * gives programs of section "xdp"). On failure the load is repeated with the verifier's log
     * on, so that the error can say why.
     *
     * @param insns the instructions, 8 bytes each, little-endian as the kernel reads them on
     *              the machines we run on
     */
    public static Loaded loadXdpProgram(byte[] insns, String license, String name) {
        Loaded first = load(insns, license, name, false);
        return first.fd() >= 0 ? first : load(insns, license, name, true);
    }

    private static Loaded load(byte[] insns, String license, String name, boolean withLog) {
        ByteBuffer code = Scratch.direct(insns.length);
        code.put(0, insns);
        byte[] lic = (license + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer licence = Scratch.direct(lic.length);
        licence.put(0, lic);
        ByteBuffer log = withLog ? Scratch.direct(LOG_BYTES) : null;
        ByteBuffer attr = Scratch.direct(Native.BPF_ATTR_BYTES);
        attr.putInt(0, Native.BPF_PROG_TYPE_XDP);
        attr.putInt(4, insns.length / 8);          // insn_cnt
        attr.putLong(8, Scratch.address(code));    // insns
        attr.putLong(16, Scratch.address(licence)); // license
        if (log != null) {
            attr.putInt(24, 1);                    // log_level
            attr.putInt(28, LOG_BYTES);            // log_size
            attr.putLong(32, Scratch.address(log)); // log_buf
        }
        putName(attr, 48, name);                   // prog_name
        attr.putInt(68, Native.BPF_XDP);           // expected_attach_type
        try {
            long rc = call(Native.BPF_PROG_LOAD, attr);
            if (rc >= 0) {
                return new Loaded((int) rc, 0, "");
            }
            return new Loaded(-1, (int) -rc, log == null ? "" : lastLine(log));
        } finally {
            Reference.reachabilityFence(code);
            Reference.reachabilityFence(licence);
            Reference.reachabilityFence(log);
        }
    }

    /**
     * {@code BPF_LINK_CREATE}: attaches XDP program {@code progFd} to {@code ifindex} in the mode of
     * {@code xdpFlags} ({@code XDP_FLAGS_DRV_MODE} or {@code XDP_FLAGS_SKB_MODE}). The program stays
     * attached while the link's fd is open, and is detached when the last holder closes it (or
     * the process dies). Link fd, or -errno.
     */
    public static int linkXdp(int progFd, int ifindex, int xdpFlags) {
        ByteBuffer attr = Scratch.direct(Native.BPF_ATTR_BYTES);
        attr.putInt(0, progFd);
        attr.putInt(4, ifindex);
        attr.putInt(8, Native.BPF_XDP);
        attr.putInt(12, xdpFlags);
        return (int) call(Native.BPF_LINK_CREATE, attr);
    }

    private static long call(int cmd, ByteBuffer attr) {
        if (Native.SYS_BPF < 0) {
            return -Syscalls.EOPNOTSUPP;
        }
        try {
            long rc = LIBC.syscall(Native.SYS_BPF, cmd, Scratch.address(attr), Native.BPF_ATTR_BYTES);
            return rc >= 0 ? rc : -Syscalls.errno();
        } finally {
            Reference.reachabilityFence(attr);
        }
    }

    private static void putName(ByteBuffer attr, int offset, String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < Math.min(b.length, OBJ_NAME_BYTES - 1); i++) {
            byte c = b[i];
            // The kernel takes only [A-Za-z0-9_.] in object names.
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '.';
            attr.put(offset + i, ok ? c : (byte) '_');
        }
    }

    /** The last non-empty line of a verifier log (it ends with the reason). */
    private static String lastLine(ByteBuffer log) {
        int n = 0;
        while (n < log.capacity() && log.get(n) != 0) {
            n++;
        }
        byte[] b = new byte[n];
        log.get(0, b);
        String[] lines = new String(b, StandardCharsets.US_ASCII).strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }
}
