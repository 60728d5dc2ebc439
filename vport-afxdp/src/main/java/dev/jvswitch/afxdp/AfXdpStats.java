package dev.jvswitch.afxdp;

/**
 * Counters of an AF_XDP port beyond {@link dev.jvswitch.pmd.netdev.NetdevStats}, summed over its
 * queues, with its XDP mode; a snapshot, read without disturbing the PMDs.
 *
 * @param xdpMode          the mode the port got ({@code native-with-zerocopy}, {@code native},
 *                         {@code generic}), or {@code none} while it has no sockets
 * @param rxKernelNoFrame  frames the kernel dropped for want of a frame in a fill ring (UMEM
 *                         exhausted) or of room in one (included in rx drops)
 * @param rxKernelRingFull frames the kernel dropped because an rx ring was full (included in rx drops)
 * @param rxBadDescs       rx descriptors that named no frame of the queue or overran it (dropped unread)
 * @param rxFillShortfalls refills that found the pool short
 * @param rxCsumCompleted  frames whose TCP/UDP checksum a local sender left to offload and the port finished
 * @param kernelInvalid    fill and tx descriptors the kernel refused as invalid
 * @param txBadCompletions completions that named no frame in flight (ignored)
 * @param txCopied         frames from another pool copied into the UMEM to be sent
 * @param txKickErrors     kicks that failed with an error other than "try again"
 * @param bindRetries      binds refused with EBUSY (a previous socket still being freed) before they succeeded
 * @param reopens          times the sockets were made again after the interface came back
 * @param reopenFailures   times that failed (retried at the next refresh)
 * @param lastError        the last failure's message, or {@code null}
 */
public record AfXdpStats(String xdpMode, long rxKernelNoFrame, long rxKernelRingFull, long rxBadDescs,
        long rxFillShortfalls, long rxCsumCompleted, long kernelInvalid, long txBadCompletions, long txCopied, long txKickErrors,
        long bindRetries, long reopens, long reopenFailures, String lastError) {
}
