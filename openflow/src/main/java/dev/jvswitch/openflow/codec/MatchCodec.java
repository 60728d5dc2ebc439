package dev.jvswitch.openflow.codec;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.Masked;
import org.projectfloodlight.openflow.types.OFValueType;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.match.PrerequisiteException;

/**
 * OXM matches to ofproto's {@link Match} and back, through {@link OxmTable}. Decoding refuses
 * what ofproto cannot match ({@code OFPBMC_BAD_FIELD}), a field given twice
 * ({@code OFPBMC_DUP_FIELD}) and a field without its prerequisites ({@code OFPBMC_BAD_PREREQ}),
 * as OpenFlow 1.3 section 7.2.3.6 requires. Encoding writes each tested field once, choosing
 * among the OXM fields that share bits ({@code tcp_src}/{@code udp_src}, {@code ipv4_src}/
 * {@code arp_spa}) by the match's own {@code eth_type} and {@code ip_proto}.
 *
 * <p>Stateless.
 */
public final class MatchCodec {
    private MatchCodec() {
    }

    /** Field values and masks collected per field while decoding. */
    private static final class Acc {
        final Map<FlowField, long[]> fields = new EnumMap<>(FlowField.class);

        long[] of(FlowField f) {
            // Not computeIfAbsent: EnumMap inherits Map's default one, whose compiled code is
            // shared with every other map that does, and deoptimised on each round of a port's
            // flow mods when its profile saw another kind of map first.
            long[] a = fields.get(f);
            if (a == null) {
                a = new long[4];
                fields.put(f, a);
            }
            return a;
        }
    }

    /** The ofproto match of {@code m}. */
    public static Match decode(org.projectfloodlight.openflow.protocol.match.Match m) {
        Acc acc = new Acc();
        Set<MatchField<?>> seen = new HashSet<>();
        for (MatchField<?> mf : m.getMatchFields()) {
            OxmTable.Entry<?> e = OxmTable.of(mf);
            if (e == null) {
                throw new OfCodecException(OfError.BAD_MATCH_BAD_FIELD, "match field " + mf.getName()
                        + " is not supported");
            }
            if (!seen.add(mf)) {
                throw new OfCodecException(OfError.BAD_MATCH_DUP_FIELD, "match field " + mf.getName() + " given twice");
            }
            take(m, e, acc);
        }
        hiddenWithoutPrerequisite(m, seen);
        Match.Builder b = Match.builder();
        if (m instanceof NxMatch nx) {
            for (NxTunMetadata.Entry e : nx.extra()) {
                e.applyTo(b);
            }
        }
        for (Map.Entry<FlowField, long[]> f : acc.fields.entrySet()) {
            long[] v = f.getValue();
            if (f.getKey().is128()) {
                b.set128(f.getKey(), v[0], v[1], v[2], v[3]);
            } else {
                b.set(f.getKey(), v[1] & v[3], v[3]);
            }
        }
        Match out = b.buildUnchecked();
        for (MatchField<?> mf : seen) {
            OxmTable.Entry<?> e = OxmTable.of(mf);
            if (!contextHolds(out, e)) {
                throw new OfCodecException(OfError.BAD_MATCH_BAD_PREREQ, "match field " + mf.getName()
                        + " without its prerequisite (eth_type/ip_proto)");
            }
        }
        try {
            out.checkPrerequisites();
        } catch (PrerequisiteException ex) {
            throw new OfCodecException(OfError.BAD_MATCH_BAD_PREREQ, ex.getMessage());
        }
        return out;
    }

    /**
     * openflowj hides an OXM entry whose prerequisite the match lacks ({@code getMatchFields()}
     * skips it, {@code get} returns null), which would make {@code ipv4_dst=X} without
     * {@code eth_type} a rule matching everything: such an entry, still in the OXM list, is
     * refused as OVS refuses it (OFPBMC_BAD_PREREQ).
     */
    private static void hiddenWithoutPrerequisite(org.projectfloodlight.openflow.protocol.match.Match m,
            Set<MatchField<?>> seen) {
        org.projectfloodlight.openflow.protocol.match.Match base = m instanceof NxMatch nx ? nx.base() : m;
        if (base instanceof org.projectfloodlight.openflow.protocol.OFMatchV3 v3) {
            for (org.projectfloodlight.openflow.protocol.oxm.OFOxm<?> oxm : v3.getOxmList()) {
                if (!seen.contains(oxm.getMatchField())) {
                    throw new OfCodecException(OfError.BAD_MATCH_BAD_PREREQ, "match field "
                            + oxm.getMatchField().getName() + " without its prerequisite (eth_type/ip_proto)");
                }
            }
        }
    }

    private static <T extends OFValueType<T>> void take(org.projectfloodlight.openflow.protocol.match.Match m,
            OxmTable.Entry<T> e, Acc acc) {
        T value;
        T mask = null;
        if (m.isPartiallyMasked(e.oxm())) {
            Masked<T> mk = m.getMasked(e.oxm());
            value = mk.getValue();
            mask = mk.getMask();
        } else {
            value = m.get(e.oxm());
        }
        long[] a = acc.of(e.field());
        if (e.is128()) {
            a[0] = e.conv().high(value);
            a[1] = e.conv().low(value);
            a[2] = mask == null ? -1L : e.conv().high(mask);
            a[3] = mask == null ? -1L : e.conv().low(mask);
            return;
        }
        long fm = mask == null ? e.fieldMask() : e.toField(mask);
        long fv = e.toField(value);
        if (e.oxm() == MatchField.IN_PORT && e.conv().low(value) < 0) {
            throw new OfCodecException(OfError.BAD_MATCH_BAD_VALUE, "in_port " + value + " names no port");
        }
        a[1] = (a[1] & ~e.fieldMask()) | fv | e.impliedMask();
        a[3] = (a[3] & ~e.fieldMask()) | fm | e.impliedMask();
    }

    /** True if {@code m} establishes the eth_type and ip_proto entry {@code e} needs. */
    static boolean contextHolds(Match m, OxmTable.Entry<?> e) {
        return contextHolds(m, e.ethType(), e.ipProto());
    }

    /**
     * True if {@code m} matches exactly on eth_type {@code ethType} (-1: any, -2: IPv4 or IPv6)
     * and ip_proto {@code ipProto} (-1: any): the prerequisites OXM and NXM fields share.
     */
    static boolean contextHolds(Match m, int ethType, int ipProto) {
        if (ethType != -1) {
            if (!m.isExact(FlowField.ETH_TYPE)) {
                return false;
            }
            long t = m.value(FlowField.ETH_TYPE);
            // ARP's fields are RARP's too (OVS's MFP_ARP).
            if (ethType == -2 ? t != 0x0800 && t != 0x86dd : t != ethType && !(ethType == 0x0806 && t == 0x8035)) {
                return false;
            }
        }
        if (ipProto != -1) {
            return m.isExact(FlowField.NW_PROTO) && m.value(FlowField.NW_PROTO) == ipProto;
        }
        return true;
    }

    /** {@code m} as an OXM match of {@code factory}'s version. */
    public static org.projectfloodlight.openflow.protocol.match.Match encode(Match m, OFFactory factory) {
        org.projectfloodlight.openflow.protocol.match.Match.Builder b = factory.buildMatch();
        for (OxmTable.Entry<?> e : OxmTable.entries()) {
            put(m, e, b);
        }
        List<NxTunMetadata.Entry> tun = null;
        for (int i = 0; i < NxTunMetadata.FIELDS; i++) {
            NxTunMetadata.Entry e = NxTunMetadata.entryOf(m, i);
            if (e != null) {
                if (tun == null) {
                    tun = new ArrayList<>();
                }
                tun.add(e);
            }
        }
        return tun == null ? b.build() : new NxMatch(b.build(), tun);
    }

    private static <T extends OFValueType<T>> void put(Match m, OxmTable.Entry<T> e,
            org.projectfloodlight.openflow.protocol.match.Match.Builder b) {
        if (m.isWildcard(e.field()) || !contextHolds(m, e)) {
            return;
        }
        if (e.is128()) {
            T v = e.conv().of(m.valueHigh(e.field()), m.valueLow(e.field()));
            if (m.isExact(e.field())) {
                b.setExact(e.oxm(), v);
            } else {
                b.setMasked(e.oxm(), v, e.conv().of(m.maskHigh(e.field()), m.maskLow(e.field())));
            }
            return;
        }
        long mask = m.mask(e.field()) & e.fieldMask();
        if (mask == 0) {
            return;
        }
        T v = e.fromField(m.value(e.field()));
        if (mask == e.fieldMask()) {
            b.setExact(e.oxm(), v);
        } else {
            b.setMasked(e.oxm(), v, e.fromField(mask));
        }
    }
}
