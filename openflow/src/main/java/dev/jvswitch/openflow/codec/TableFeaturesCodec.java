package dev.jvswitch.openflow.codec;

import java.util.ArrayList;
import java.util.List;

import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFTableFeatureProp;
import org.projectfloodlight.openflow.protocol.OFTableFeatures;
import org.projectfloodlight.openflow.protocol.actionid.OFActionId;
import org.projectfloodlight.openflow.protocol.instructionid.OFInstructionId;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFValueType;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.U8;

/**
 * The table-features reply ({@code OFPMP_TABLE_FEATURES}): every table with the eight properties
 * OpenFlow requires (instructions, next tables, write/apply actions, match, wildcards, write/apply
 * set-field). The match and set-field lists are {@link OxmTable}'s fields, so what a controller is
 * told it may match is what the codec accepts. Open vSwitch's clients ask for it before a flow mod.
 *
 * <p>Stateless.
 */
public final class TableFeaturesCodec {
    private TableFeaturesCodec() {
    }

    /** Features of tables {@code 0..tables-1}. */
    public static List<OFTableFeatures> tables(OFFactory f, int tables) {
        List<U32> oxms = oxmIds(f);
        List<OFInstructionId> insts = List.of(f.instructionIds().applyActions(), f.instructionIds().gotoTable());
        List<OFActionId> actions = List.of(f.actionIds().output(), f.actionIds().group(), f.actionIds().setField(),
                f.actionIds().pushVlan(), f.actionIds().popVlan(), f.actionIds().decNwTtl(), f.actionIds().setNwTtl());
        List<OFTableFeatures> out = new ArrayList<>(tables);
        for (int t = 0; t < tables; t++) {
            List<U8> next = new ArrayList<>();
            for (int n = t + 1; n < tables; n++) {
                next.add(U8.of((short) n));
            }
            List<OFTableFeatureProp> props = List.of(
                    f.tableFeaturePropInstructions(t + 1 < tables ? insts : insts.subList(0, 1)),
                    f.tableFeaturePropNextTables(next),
                    f.tableFeaturePropWriteActions(List.of()),
                    f.tableFeaturePropApplyActions(actions),
                    f.tableFeaturePropMatch(oxms),
                    f.tableFeaturePropWildcards(oxms),
                    f.tableFeaturePropWriteSetfield(List.of()),
                    f.tableFeaturePropApplySetfield(oxms));
            OFTableFeatures.Builder b = f.buildTableFeatures().setTableId(TableId.of(t)).setName("")
                    .setMetadataMatch(U64.ZERO).setMetadataWrite(U64.ZERO).setMaxEntries(1_000_000)
                    .setProperties(props);
            if (f.getVersion().compareTo(org.projectfloodlight.openflow.protocol.OFVersion.OF_15) < 0) {
                b.setConfig(0);
            } else {
                b.setCommand(org.projectfloodlight.openflow.protocol.OFTableFeaturesCommand.REPLACE);
            }
            out.add(b.build());
        }
        return out;
    }

    /** OXM headers (type and length, no mask) of every field the codec knows. */
    private static List<U32> oxmIds(OFFactory f) {
        List<U32> ids = new ArrayList<>();
        for (OxmTable.Entry<?> e : OxmTable.entries()) {
            Long id = header(e, f);
            if (id != null && !ids.contains(U32.of(id))) {
                ids.add(U32.of(id));
            }
        }
        return ids;
    }

    /** The OXM header (type and length, no mask) of {@code e} in {@code f}'s version, or null if it has none. */
    static <T extends OFValueType<T>> Long headerOf(OxmTable.Entry<T> e, OFFactory f) {
        return header(e, f);
    }

    private static <T extends OFValueType<T>> Long header(OxmTable.Entry<T> e, OFFactory f) {
        try {
            long typeLen = f.oxms().fromValue(e.conv().of(0, e.oxm() == MatchField.IN_PORT ? 1 : 0), e.oxm())
                    .getTypeLen();
            return typeLen & ~0x100L;
        } catch (RuntimeException ex) {
            return null; // a field this version cannot express
        }
    }
}
