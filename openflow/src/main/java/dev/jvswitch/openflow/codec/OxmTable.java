package dev.jvswitch.openflow.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.ICMPv4Code;
import org.projectfloodlight.openflow.types.ICMPv4Type;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.IPv6FlowLabel;
import org.projectfloodlight.openflow.types.IpDscp;
import org.projectfloodlight.openflow.types.IpEcn;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFValueType;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U16;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.U8;
import org.projectfloodlight.openflow.types.VlanPcp;

import dev.jvswitch.flowcache.key.FlowField;

/**
 * The one mapping between OpenFlow match fields (OXM, and later NXM: openflowj names both as
 * {@link MatchField}s) and the flow key's {@link FlowField}s. Each {@link Entry} says which bits
 * of which field an OXM field names, under which protocol (TCP, UDP and SCTP ports are three OXM
 * fields over one {@code tp_src}), and how its openflowj value type reads and writes as numbers.
 * The match and set-field codecs walk this table; adding a field (a Nicira register, a tunnel
 * field) is adding a row here, not a case in a codec.
 *
 * <p><b>Thread-safety:</b> immutable after class initialisation.
 */
public final class OxmTable {
    /** Reads an openflowj value as (high, low) 64-bit words and back; high is 0 below 65 bits. */
    interface Conv<T extends OFValueType<T>> {
        long low(T v);

        default long high(T v) {
            return 0;
        }

        T of(long high, long low);
    }

    /**
     * One row: OXM field {@code oxm} is {@code width} bits of {@code field} starting at bit
     * {@code shift} of the field's value; it applies when the match has {@code ethType} (-1: any; -2: IPv4 or IPv6)
     * and {@code ipProto} (-1: any). {@code impliedMask}/{@code impliedValue} are field bits a
     * match on this OXM also sets (the VLAN "present" bit under a PCP match).
     */
    public record Entry<T extends OFValueType<T>>(MatchField<T> oxm, FlowField field, int shift, int width,
            int ethType, int ipProto, long impliedMask, Conv<T> conv) {
        /** Mask of this entry's bits within the field's value. */
        public long fieldMask() {
            return (width == 64 ? -1L : (1L << width) - 1) << shift;
        }

        public boolean is128() {
            return field.is128();
        }

        /** The field value's bits (shifted into place) of OXM value {@code v}. */
        long toField(T v) {
            return (conv.low(v) << shift) & fieldMask();
        }

        T fromField(long fieldValue) {
            return conv.of(0, (fieldValue & fieldMask()) >>> shift);
        }
    }

    private static final List<Entry<?>> ENTRIES = new ArrayList<>();
    private static final Map<MatchField<?>, Entry<?>> BY_OXM = new HashMap<>();

    private static final Conv<OFPort> PORT = new Conv<>() {
        public long low(OFPort v) {
            return OfPortNumbers.from(v);
        }

        public OFPort of(long h, long l) {
            return OfPortNumbers.to((int) l);
        }
    };
    private static final Conv<MacAddress> MAC = conv(MacAddress::getLong, MacAddress::of);
    private static final Conv<EthType> ETH_TYPE = conv(EthType::getValue, l -> EthType.of((int) l));
    private static final Conv<OFVlanVidMatch> VID = conv(v -> v.getRawVid() & 0x1fff,
            l -> OFVlanVidMatch.ofRawVid((short) l));
    private static final Conv<VlanPcp> PCP = conv(VlanPcp::getValue, l -> VlanPcp.of((byte) l));
    private static final Conv<IpDscp> DSCP = conv(IpDscp::getDscpValue, l -> IpDscp.of((byte) l));
    private static final Conv<IpEcn> ECN = conv(IpEcn::getEcnValue, l -> IpEcn.of((byte) l));
    private static final Conv<IpProtocol> PROTO = conv(IpProtocol::getIpProtocolNumber, l -> IpProtocol.of((short) l));
    private static final Conv<IPv4Address> IPV4 = conv(v -> v.getInt() & 0xffffffffL, l -> IPv4Address.of((int) l));
    private static final Conv<TransportPort> TP = conv(TransportPort::getPort, l -> TransportPort.of((int) l));
    private static final Conv<ICMPv4Type> ICMP_TYPE = conv(ICMPv4Type::getType, l -> ICMPv4Type.of((short) l));
    private static final Conv<ICMPv4Code> ICMP_CODE = conv(ICMPv4Code::getCode, l -> ICMPv4Code.of((short) l));
    private static final Conv<ArpOpcode> ARP_OP = conv(ArpOpcode::getOpcode, l -> ArpOpcode.of((int) l));
    private static final Conv<U8> U8C = conv(U8::getValue, l -> U8.of((short) l));
    private static final Conv<U16> U16C = conv(U16::getValue, l -> U16.of((int) l));
    private static final Conv<U64> U64C = conv(U64::getValue, U64::of);
    private static final Conv<IPv6FlowLabel> LABEL = conv(IPv6FlowLabel::getIPv6FlowLabelValue,
            l -> IPv6FlowLabel.of((int) l));
    private static final Conv<IPv6Address> IPV6 = new Conv<>() {
        public long low(IPv6Address v) {
            return ByteBuffer.wrap(v.getBytes()).getLong(8);
        }

        public long high(IPv6Address v) {
            return ByteBuffer.wrap(v.getBytes()).getLong(0);
        }

        public IPv6Address of(long h, long l) {
            return IPv6Address.of(h, l);
        }
    };

    private static final int IPV4_TYPE = 0x0800;
    private static final int IPV6_TYPE = 0x86dd;
    /** {@code ethType} of an entry that needs IPv4 or IPv6. */
    private static final int IP_ANY = -2;
    private static final int ARP_TYPE = 0x0806;

    static {
        add(MatchField.IN_PORT, FlowField.IN_PORT, 0, 32, -1, -1, 0, PORT);
        add(MatchField.ETH_DST, FlowField.ETH_DST, 0, 48, -1, -1, 0, MAC);
        add(MatchField.ETH_SRC, FlowField.ETH_SRC, 0, 48, -1, -1, 0, MAC);
        add(MatchField.ETH_TYPE, FlowField.ETH_TYPE, 0, 16, -1, -1, 0, ETH_TYPE);
        // vlan_tci keeps OVS's layout: PCP(3) CFI(1) VID(12); OXM's VLAN_VID is CFI|VID (OFPVID_PRESENT).
        add(MatchField.VLAN_VID, FlowField.VLAN_TCI, 0, 13, -1, -1, 0, VID);
        add(MatchField.VLAN_PCP, FlowField.VLAN_TCI, 13, 3, -1, -1, 0x1000, PCP);
        add(MatchField.IP_DSCP, FlowField.NW_TOS, 2, 6, IP_ANY, -1, 0, DSCP);
        add(MatchField.IP_ECN, FlowField.NW_TOS, 0, 2, IP_ANY, -1, 0, ECN);
        add(MatchField.IP_PROTO, FlowField.NW_PROTO, 0, 8, IP_ANY, -1, 0, PROTO);
        add(MatchField.IPV4_SRC, FlowField.NW_SRC, 0, 32, IPV4_TYPE, -1, 0, IPV4);
        add(MatchField.IPV4_DST, FlowField.NW_DST, 0, 32, IPV4_TYPE, -1, 0, IPV4);
        add(MatchField.TCP_SRC, FlowField.TP_SRC, 0, 16, IP_ANY, 6, 0, TP);
        add(MatchField.TCP_DST, FlowField.TP_DST, 0, 16, IP_ANY, 6, 0, TP);
        add(MatchField.UDP_SRC, FlowField.TP_SRC, 0, 16, IP_ANY, 17, 0, TP);
        add(MatchField.UDP_DST, FlowField.TP_DST, 0, 16, IP_ANY, 17, 0, TP);
        add(MatchField.SCTP_SRC, FlowField.TP_SRC, 0, 16, IP_ANY, 132, 0, TP);
        add(MatchField.SCTP_DST, FlowField.TP_DST, 0, 16, IP_ANY, 132, 0, TP);
        add(MatchField.ICMPV4_TYPE, FlowField.ICMP_TYPE, 0, 8, IPV4_TYPE, 1, 0, ICMP_TYPE);
        add(MatchField.ICMPV4_CODE, FlowField.ICMP_CODE, 0, 8, IPV4_TYPE, 1, 0, ICMP_CODE);
        add(MatchField.ARP_OP, FlowField.ARP_OP, 0, 8, ARP_TYPE, -1, 0, ARP_OP);
        add(MatchField.ARP_SPA, FlowField.ARP_SPA, 0, 32, ARP_TYPE, -1, 0, IPV4);
        add(MatchField.ARP_TPA, FlowField.ARP_TPA, 0, 32, ARP_TYPE, -1, 0, IPV4);
        add(MatchField.ARP_SHA, FlowField.ARP_SHA, 0, 48, ARP_TYPE, -1, 0, MAC);
        add(MatchField.ARP_THA, FlowField.ARP_THA, 0, 48, ARP_TYPE, -1, 0, MAC);
        add(MatchField.IPV6_SRC, FlowField.IPV6_SRC, 0, 64, IPV6_TYPE, -1, 0, IPV6);
        add(MatchField.IPV6_DST, FlowField.IPV6_DST, 0, 64, IPV6_TYPE, -1, 0, IPV6);
        add(MatchField.IPV6_FLABEL, FlowField.IPV6_LABEL, 0, 20, IPV6_TYPE, -1, 0, LABEL);
        add(MatchField.ICMPV6_TYPE, FlowField.ICMPV6_TYPE, 0, 8, IPV6_TYPE, 58, 0, U8C);
        add(MatchField.ICMPV6_CODE, FlowField.ICMPV6_CODE, 0, 8, IPV6_TYPE, 58, 0, U8C);
        add(MatchField.IPV6_ND_TARGET, FlowField.ND_TARGET, 0, 64, IPV6_TYPE, 58, 0, IPV6);
        add(MatchField.IPV6_ND_SLL, FlowField.ND_SLL, 0, 48, IPV6_TYPE, 58, 0, MAC);
        add(MatchField.IPV6_ND_TLL, FlowField.ND_TLL, 0, 48, IPV6_TYPE, 58, 0, MAC);
        add(MatchField.TUNNEL_ID, FlowField.TUN_ID, 0, 64, -1, -1, 0, U64C);
        add(MatchField.TUNNEL_IPV4_SRC, FlowField.TUN_SRC, 0, 32, -1, -1, 0, IPV4);
        add(MatchField.TUNNEL_IPV4_DST, FlowField.TUN_DST, 0, 32, -1, -1, 0, IPV4);
        // NXM_NX_TUN_FLAGS: OpenFlow sees only the OAM bit of tun_flags (OVS's FLOW_TNL_PUB_F_MASK).
        add(MatchField.TUN_FLAGS, FlowField.TUN_FLAGS, 0, 1, -1, -1, 0, U16C);
        add(MatchField.TCP_FLAGS, FlowField.TCP_FLAGS, 0, 12, IP_ANY, 6, 0, U16C);
    }

    private OxmTable() {
    }

    private static <T extends OFValueType<T>> void add(MatchField<T> oxm, FlowField f, int shift, int width,
            int ethType, int ipProto, long implied, Conv<T> conv) {
        Entry<T> e = new Entry<>(oxm, f, shift, width, ethType, ipProto, implied, conv);
        ENTRIES.add(e);
        BY_OXM.put(oxm, e);
    }

    private static <T extends OFValueType<T>> Conv<T> conv(java.util.function.ToLongFunction<T> low,
            java.util.function.LongFunction<T> of) {
        return new Conv<>() {
            public long low(T v) {
                return low.applyAsLong(v);
            }

            public T of(long h, long l) {
                return of.apply(l);
            }
        };
    }

    /** Every row, in the order a match is encoded (prerequisites first). */
    public static List<Entry<?>> entries() {
        return Collections.unmodifiableList(ENTRIES);
    }

    /** The row of {@code oxm}, or null if the switch does not match on it. */
    public static Entry<?> of(MatchField<?> oxm) {
        return BY_OXM.get(oxm);
    }
}
