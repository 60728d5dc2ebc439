package dev.jvswitch.openflow.codec;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortFeatures;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFPortStatsEntry;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.U64;

import dev.jvswitch.openflow.backend.PortInfo;

/**
 * Port descriptions and port statistics of the wire ({@code ofp_port}, {@code ofp_port_stats}).
 * A port reports 10 Gb/s copper, full duplex (OVS's default for a device that does not say).
 *
 * <p>Stateless.
 */
public final class PortCodec {
    private static final long SPEED_KBPS = 10_000_000;

    private PortCodec() {
    }

    public static OFPortDesc desc(PortInfo p, OFFactory f) {
        Set<OFPortConfig> config = config(p.config(), f.getVersion());
        Set<OFPortState> state = p.live() ? EnumSet.of(OFPortState.LIVE) : EnumSet.of(OFPortState.LINK_DOWN);
        OFPortDesc.Builder b = f.buildPortDesc().setPortNo(OfPortNumbers.to(p.ofport())).setHwAddr(MacAddress.of(p.mac()))
                .setName(p.name()).setConfig(config).setState(state);
        if (f.getVersion().compareTo(OFVersion.OF_14) < 0) {
            Set<OFPortFeatures> feat = EnumSet.of(OFPortFeatures.PF_10GB_FD, OFPortFeatures.PF_COPPER);
            b.setCurr(feat).setAdvertised(EnumSet.noneOf(OFPortFeatures.class)).setSupported(EnumSet.noneOf(
                    OFPortFeatures.class)).setPeer(EnumSet.noneOf(OFPortFeatures.class)).setCurrSpeed(SPEED_KBPS)
                    .setMaxSpeed(0);
        } else {
            b.setProperties(List.of());
        }
        return b.build();
    }

    /** The config bits {@code bits} (OpenFlow 1.0 values) the wire of {@code v} can carry. */
    static Set<OFPortConfig> config(int bits, OFVersion v) {
        Set<OFPortConfig> out = EnumSet.noneOf(OFPortConfig.class);
        for (OFPortConfig c : OFPortConfig.values()) {
            int bit = switch (c) {
                case PORT_DOWN -> 1;
                case NO_RECV -> 1 << 2;
                case NO_FWD -> 1 << 5;
                case NO_PACKET_IN -> 1 << 6;
                // OpenFlow 1.1 dropped these three bits.
                case NO_STP -> v == OFVersion.OF_10 ? 1 << 1 : 0;
                case NO_RECV_STP -> v == OFVersion.OF_10 ? 1 << 3 : 0;
                case NO_FLOOD -> v == OFVersion.OF_10 ? 1 << 4 : 0;
                default -> 0;
            };
            if ((bits & bit) != 0) {
                out.add(c);
            }
        }
        return out;
    }

    public static OFPortStatsEntry stats(PortInfo p, OFFactory f) {
        OFPortStatsEntry.Builder b = f.buildPortStatsEntry().setPortNo(OfPortNumbers.to(p.ofport()))
                .setRxPackets(U64.of(p.rxPackets())).setTxPackets(U64.of(p.txPackets())).setRxBytes(U64.of(p.rxBytes()))
                .setTxBytes(U64.of(p.txBytes())).setRxDropped(U64.of(p.rxDropped())).setTxDropped(U64.of(p.txDropped()))
                .setRxErrors(U64.of(p.rxErrors())).setTxErrors(U64.of(p.txErrors()));
        if (f.getVersion().compareTo(OFVersion.OF_14) < 0) {
            b.setRxFrameErr(U64.ZERO).setRxOverErr(U64.ZERO).setRxCrcErr(U64.ZERO).setCollisions(U64.ZERO);
        } else {
            b.setProperties(List.of());
        }
        return b.build();
    }
}
