package dev.jvswitch.afxdp.xdp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The XDP program every AF_XDP port loads: send each frame to the socket of the queue it arrived
 * on, through the port's XSKMAP, and let the kernel have it (XDP_PASS) when that queue has no
 * socket. Six instructions of eBPF, written here as constants, so that nothing is compiled at run
 * time (no clang) and no library is loaded (no libbpf, no libxdp):
 *
 * <pre>
 *   r2 = *(u32 *)(r1 + 16)       ; ctx->rx_queue_index        (struct xdp_md)
 *   r1 = map_fd ll               ; the XSKMAP (a 16-byte load of the map's fd, BPF_PSEUDO_MAP_FD)
 *   r3 = XDP_PASS                ; what bpf_redirect_map returns when the slot is empty (Linux 5.3)
 *   call bpf_redirect_map        ; helper 51
 *   exit                         ; r0: XDP_REDIRECT, or XDP_PASS
 * </pre>
 *
 * <p>An instruction is 8 bytes: opcode, destination and source registers (4 bits each), a 16-bit
 * offset, a 32-bit immediate; little-endian, as the kernel reads them on the machines jvswitch
 * runs on (x86-64, arm64).
 */
public final class RedirectProgram {
    /** The program's name in {@code bpftool prog} and {@code ip link} (at most 15 bytes). */
    public static final String NAME = "jvs_xsk_redir";
    /**
     * Only GPL-compatible programs may call some helpers; {@code bpf_redirect_map} is not one of
     * them, so the license string only says how the bytecode may be shared.
     */
    public static final String LICENSE = "Dual BSD/GPL";

    static final int XDP_MD_RX_QUEUE_INDEX = 16;
    static final int XDP_PASS = 2;
    static final int BPF_FUNC_REDIRECT_MAP = 51;
    static final int BPF_PSEUDO_MAP_FD = 1;

    // Opcodes: class | size/op | mode/source.
    static final int LDX_MEM_W = 0x61;     // BPF_LDX | BPF_MEM | BPF_W
    static final int LD_IMM_DW = 0x18;     // BPF_LD | BPF_IMM | BPF_DW (two slots)
    static final int ALU64_MOV_K = 0xb7;   // BPF_ALU64 | BPF_MOV | BPF_K
    static final int JMP_CALL = 0x85;      // BPF_JMP | BPF_CALL
    static final int JMP_EXIT = 0x95;      // BPF_JMP | BPF_EXIT

    private RedirectProgram() {
    }

    /** The program's instructions, referring to the XSKMAP whose fd is {@code xskMapFd}. */
    public static byte[] instructions(int xskMapFd) {
        ByteBuffer b = ByteBuffer.allocate(6 * 8).order(ByteOrder.LITTLE_ENDIAN);
        insn(b, LDX_MEM_W, 2, 1, XDP_MD_RX_QUEUE_INDEX, 0);
        insn(b, LD_IMM_DW, 1, BPF_PSEUDO_MAP_FD, 0, xskMapFd);
        insn(b, 0, 0, 0, 0, 0);
        insn(b, ALU64_MOV_K, 3, 0, 0, XDP_PASS);
        insn(b, JMP_CALL, 0, 0, 0, BPF_FUNC_REDIRECT_MAP);
        insn(b, JMP_EXIT, 0, 0, 0, 0);
        return b.array();
    }

    private static void insn(ByteBuffer b, int opcode, int dst, int src, int off, int imm) {
        b.put((byte) opcode);
        b.put((byte) ((src << 4) | dst));
        b.putShort((short) off);
        b.putInt(imm);
    }
}
