package dev.jvswitch.openflow.codec;

import java.util.ArrayList;
import java.util.List;

import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFMeterMod;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBand;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBandDrop;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBandDscpRemark;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.meter.Meter;
import dev.jvswitch.ofproto.meter.MeterBand;
import dev.jvswitch.ofproto.meter.MeterEntry;
import dev.jvswitch.ofproto.meter.MeterStats;
import dev.jvswitch.ofproto.mod.MeterMod;

/**
 * OpenFlow meters on the wire (1.3 to 1.5 share the layouts): meter mods in, meter config (1.5's
 * meter desc) and meter statistics replies out.
 *
 * <pre>
 *   ofp_meter_config (1.5 ofp_meter_desc)      ofp_meter_stats
 *    0: length (16)  flags (16)                 0: meter_id (32)   len (16)  pad (48)
 *    4: meter_id (32)                          16: flow_count (32)
 *    8: bands, 16 bytes each:                  20: packet_in_count (64)  28: byte_in_count (64)
 *       type (16) len (16) rate (32)           36: duration_sec (32)     40: duration_nsec (32)
 *       burst_size (32) prec_level (8) pad     44... per band: packet_band_count (64) byte_band_count (64)
 * </pre>
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class MeterCodec {
    private static final int OFPMP_METER = 9;
    private static final int OFPMP_METER_CONFIG = 10;
    private static final int BAND_BYTES = 16;
    private static final long NS = 1_000_000_000L;

    private MeterCodec() {
    }

    /** A meter mod as the model has it; a band type other than drop and dscp_remark is OFPMMFC_BAD_BAND. */
    public static MeterMod decode(OFMeterMod m) {
        MeterMod.Command command = switch (m.getCommand()) {
            case ADD -> MeterMod.Command.ADD;
            case MODIFY -> MeterMod.Command.MODIFY;
            case DELETE -> MeterMod.Command.DELETE;
        };
        if (command == MeterMod.Command.DELETE) {
            return MeterMod.delete(m.getMeterId());
        }
        int flags = 0;
        for (OFMeterFlags f : m.getFlags()) {
            flags |= switch (f) {
                case KBPS -> Meter.KBPS;
                case PKTPS -> Meter.PKTPS;
                case BURST -> Meter.BURST;
                case STATS -> Meter.STATS;
            };
        }
        List<MeterBand> bands = new ArrayList<>();
        List<OFMeterBand> raw;
        try {
            raw = m.getBands();
        } catch (UnsupportedOperationException e) {
            raw = m.getMeters(); // openflowj names 1.3's bands "meters"
        }
        for (OFMeterBand b : raw) {
            if (b instanceof OFMeterBandDrop d) {
                bands.add(MeterBand.drop(d.getRate(), d.getBurstSize()));
            } else if (b instanceof OFMeterBandDscpRemark r) {
                bands.add(new MeterBand(MeterBand.DSCP_REMARK, r.getRate(), r.getBurstSize(), r.getPrecLevel()));
            } else {
                throw new OfCodecException(OfError.METER_MOD_FAILED_BAD_BAND, "meter band " + b.getType()
                        + " is not supported");
            }
        }
        return new MeterMod(command, new Meter(m.getMeterId(), flags, bands));
    }

    /** OFPMP_METER_CONFIG (1.5: OFPMP_METER_DESC) replies for {@code meters}. */
    public static List<ByteBuf> configReply(int version, long xid, List<MeterEntry> meters) {
        List<ByteBuf> bodies = new ArrayList<>(meters.size());
        for (MeterEntry e : meters) {
            Meter m = e.config();
            ByteBuf b = Unpooled.buffer(8 + BAND_BYTES * m.bands().size());
            b.writeShort(8 + BAND_BYTES * m.bands().size()).writeShort(m.flags()).writeInt((int) m.meterId());
            for (MeterBand band : m.bands()) {
                b.writeShort(band.type()).writeShort(BAND_BYTES).writeInt((int) band.rate())
                        .writeInt((int) band.burstSize()).writeByte(band.precLevel()).writeZero(3);
            }
            bodies.add(b);
        }
        return MultipartWire.chunk(version, xid, OFPMP_METER_CONFIG, bodies);
    }

    /** OFPMP_METER replies for {@code stats}. */
    public static List<ByteBuf> statsReply(int version, long xid, List<MeterStats> stats) {
        List<ByteBuf> bodies = new ArrayList<>(stats.size());
        for (MeterStats s : stats) {
            int len = 40 + BAND_BYTES * s.bandPackets().length;
            ByteBuf b = Unpooled.buffer(len);
            b.writeInt((int) s.meterId()).writeShort(len).writeZero(6).writeInt((int) s.flowCount())
                    .writeLong(s.packets()).writeLong(s.bytes()).writeInt((int) (s.durationNs() / NS))
                    .writeInt((int) (s.durationNs() % NS));
            for (int i = 0; i < s.bandPackets().length; i++) {
                b.writeLong(s.bandPackets()[i]).writeLong(s.bandBytes()[i]);
            }
            bodies.add(b);
        }
        return MultipartWire.chunk(version, xid, OFPMP_METER, bodies);
    }
}
