/**
 * AF_XDP ports (type {@code afxdp}): the second way jvswitch reaches Linux interfaces, with no skb
 * on the way in and no copy in user space.
 *
 * <p>A port ({@link dev.jvswitch.afxdp.AfXdpNetdev}) loads a six-instruction XDP program through
 * {@code bpf(2)} ({@link dev.jvswitch.afxdp.xdp}) that redirects each frame to the XDP socket of
 * its rx queue, attaches it with a BPF link (detached when the process dies), and binds one socket
 * per rx queue ({@link dev.jvswitch.afxdp.xsk}) whose UMEM is the mbuf pool's own memory: frame
 * {@code i} is mbuf {@code i}. Received frames are handed over in place; sent mbufs leave from
 * where they lie and return to the pool from the completion ring. The system calls live in
 * {@link dev.jvswitch.afxdp.sys}.
 */
package dev.jvswitch.afxdp;
