package dev.jvswitch.afpacket;

/**
 * Counters of an AF_PACKET port beyond {@link dev.jvswitch.pmd.netdev.NetdevStats}, summed over
 * its queues; a snapshot, read without disturbing the PMDs.
 *
 * @param rxKernelDrops   frames the kernel dropped because an rx ring was full (included in rx drops)
 * @param rxCsumCompleted frames whose TCP/UDP checksum a local sender left to offload and the port completed
 * @param rxCsumUnfixed   frames marked checksum-not-ready that the port could not complete (not TCP/UDP over IP)
 * @param rxOutgoingSkipped frames sent by this host that the ring showed (kernels before 4.20)
 * @param rxBadBlocks     ring blocks abandoned because a header pointed outside the block
 * @param txOversize      frames not sent because they exceed the MTU or a tx slot (included in tx drops)
 * @param mtuChanges      times {@code refresh} saw the interface's MTU change
 * @param reopens         times the sockets were reopened after the interface came back
 * @param reopenFailures  times reopening failed (retried at the next refresh)
 * @param lastError       the last reopen failure's message, or {@code null}
 */
public record AfPacketStats(long rxKernelDrops, long rxCsumCompleted, long rxCsumUnfixed, long rxOutgoingSkipped,
        long rxBadBlocks, long txOversize, long mtuChanges, long reopens, long reopenFailures, String lastError) {
}
