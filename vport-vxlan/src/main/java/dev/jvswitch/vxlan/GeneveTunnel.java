package dev.jvswitch.vxlan;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.tunnel.GeneveHeaderFlyweight;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.PacketBytes;
import dev.jvswitch.mempool.TunnelOptions;
import dev.jvswitch.pmd.tunnel.TunnelConfig;
import dev.jvswitch.pmd.tunnel.TunnelHeaderParams;
import dev.jvswitch.pmd.tunnel.TunnelOps;
import dev.jvswitch.pmd.tunnel.UdpTunnel;

/**
 * Geneve (RFC 8926) over {@link UdpTunnel}: what differs from VXLAN is the header, eight fixed
 * bytes (version 0, the options' length, the OAM and critical flags, protocol 0x6558 for an
 * Ethernet frame, the VNI) followed by variable-length options.
 *
 * <p>On push the template is the whole header, options included, so a push costs what a VXLAN
 * push costs plus the option bytes' copy. The options come from the flow's tunnel metadata when
 * translation builds the template ({@link TunnelHeaderParams#geneveOptions()}); the critical
 * flag is set when one of them has the critical bit, the OAM flag from {@code tun_flags}.
 *
 * <p>On pop, as OVS's {@code netdev_geneve_pop_header}: the header and its options must fit the
 * UDP payload ({@link TunnelOps#POP_MALFORMED}), the version must be 0 and the protocol 0x6558
 * ({@link TunnelOps#POP_BAD_HEADER}); the options must add up to their length (malformed
 * otherwise), which is checked on their copy, so that the packet's option bytes are read once.
 * The option bytes are kept raw in the mbuf's {@link Mbuf#tunnelOptions()} (OVS's
 * {@code FLOW_TNL_F_UDPIF} form, {@link #FLAG_UDPIF} set with or without options) and the OAM
 * bit becomes {@link #FLAG_OAM}; whether an option
 * is known, and what a critical unknown one means, is translation's business (its TLV map).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class GeneveTunnel extends UdpTunnel {
    private static final int HEADER = GeneveHeaderFlyweight.HEADER_LENGTH;

    public GeneveTunnel(TunnelConfig config) {
        super(DpActions.TNL_TYPE_GENEVE, config);
    }

    @Override
    protected int tunnelHeaderLength() {
        return HEADER + GeneveHeaderFlyweight.MAX_OPTIONS_BYTES;
    }

    @Override
    protected int writeTunnelHeader(UnsafeBuffer buffer, int offset, TunnelHeaderParams params) {
        byte[] options = params.geneveOptions();
        int critical = GeneveHeaderFlyweight.checkOptions(new UnsafeBuffer(options), 0, options.length);
        if (critical < 0) {
            throw new IllegalArgumentException("geneve options of " + options.length + " bytes do not add up");
        }
        new GeneveHeaderFlyweight().wrap(buffer, offset, HEADER).firstWord(options.length,
                (params.flags() & FLAG_OAM) != 0, critical != 0, GeneveHeaderFlyweight.PROTOCOL_TEB)
                .vni((int) (params.tunId() & GeneveHeaderFlyweight.MAX_VNI));
        buffer.putByte(offset + GeneveHeaderFlyweight.RESERVED_OFFSET, (byte) 0);
        buffer.putBytes(offset + HEADER, options);
        return HEADER + options.length;
    }

    @Override
    protected long parseTunnelHeader(Mbuf packet, UnsafeBuffer buffer, int index, int available) {
        if (available < HEADER) {
            return -POP_MALFORMED;
        }
        long header = PacketBytes.u64(buffer, index); // checked above against the packet: first word, then VNI word (offsets 0 and 4)
        int first = (int) (header >>> 32);
        int optLen = GeneveHeaderFlyweight.optionsLength(first);
        if (HEADER + optLen > available) {
            return -POP_MALFORMED;
        }
        if (GeneveHeaderFlyweight.version(first) != 0
                || GeneveHeaderFlyweight.protocol(first) != GeneveHeaderFlyweight.PROTOCOL_TEB) {
            return -POP_BAD_HEADER;
        }
        if (optLen > 0) {
            // Copied first, then walked in the copy's words: one read of the packet's bytes.
            TunnelOptions options = packet.tunnelOptions();
            options.set(buffer, index + HEADER, optLen);
            if (!optionsAddUp(options, optLen)) {
                options.clear();
                return -POP_MALFORMED;
            }
        }
        long flags = FLAG_UDPIF | (GeneveHeaderFlyweight.oam(first) ? FLAG_OAM : 0);
        return flags << 48 | (long) (HEADER + optLen) << 32 | ((int) header >>> 8);
    }

    /**
     * Whether the options' lengths add up to {@code length} (a multiple of 4, as every option is),
     * as {@link GeneveHeaderFlyweight#checkOptions} walks them, reading each option's header from
     * the half of the word it sits in.
     */
    private static boolean optionsAddUp(TunnelOptions options, int length) {
        int at = 0;
        while (at < length) {
            // An option starts on a 4-byte boundary: the high half of a word, or the low one.
            int h = (int) (options.word(at >>> 3) >>> ((~at & 4) << 3));
            at += GeneveHeaderFlyweight.OPTION_HEADER_LENGTH + GeneveHeaderFlyweight.optionDataLength(h);
        }
        return at == length;
    }
}
