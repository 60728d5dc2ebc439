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
        Set<OFPortConfig> config = p.adminDown() ? EnumSet.of(OFPortConfig.PORT_DOWN) : EnumSet.noneOf(OFPortConfig.class);
        Set<OFPortState> state = p.linkUp() ? EnumSet.of(OFPortState.LIVE) : EnumSet.of(OFPortState.LINK_DOWN);
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
