package dev.jvswitch.ovsdb.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.jvswitch.config.BridgeMirror;
import dev.jvswitch.config.ConfigError;
import dev.jvswitch.ovsdb.data.Datum;
import dev.jvswitch.ovsdb.data.Replica;

/**
 * A bridge's Mirror rows onto {@link BridgeMirror}s (OVS's {@code mirror_configure}): the selected
 * Ports become the port names of their interfaces (every member of a bond), the output Port its
 * interface (a bond's first member by name). What jvswitch cannot mirror yet (selecting by VLAN,
 * output to a VLAN) is reported and the mirror left out, as OVS leaves out a mirror it cannot
 * configure.
 *
 * <p>Stateless.
 */
final class MirrorMapper {
    private MirrorMapper() {
    }

    static List<BridgeMirror> mirrors(Replica db, ObjectNode bridge, MapContext ctx, List<ConfigError> w) {
        List<BridgeMirror> out = new ArrayList<>();
        for (String u : Datum.uuids(bridge.get("mirrors"))) {
            ObjectNode m = db.row(Columns.MIRROR, u);
            if (m == null) {
                continue;
            }
            String name = Datum.string(m.get("name"));
            String where = "Mirror " + name;
            if (!Datum.integers(m.get("select_vlan")).isEmpty()) {
                w.add(new ConfigError(ctx.source(), 1, where + " select_vlan", "selecting by VLAN is not supported yet;"
                        + " mirror ignored"));
                continue;
            }
            List<String> output = interfaces(db, Datum.uuids(m.get("output_port")));
            if (output.isEmpty()) {
                w.add(new ConfigError(ctx.source(), 1, where + " output_port", Datum.optInteger(m.get("output_vlan"))
                        == null ? "no output port; mirror ignored" : "output to a VLAN is not supported yet (output_port"
                        + " is); mirror ignored"));
                continue;
            }
            JsonNode all = m.get("select_all");
            out.add(new BridgeMirror(name, all != null && all.asBoolean(false),
                    interfaces(db, Datum.uuids(m.get("select_src_port"))),
                    interfaces(db, Datum.uuids(m.get("select_dst_port"))), output.get(0)));
        }
        return out;
    }

    /** The names of the interfaces of the Port rows {@code ports}, sorted. */
    private static List<String> interfaces(Replica db, List<String> ports) {
        TreeSet<String> names = new TreeSet<>();
        for (String pu : ports) {
            ObjectNode p = db.row(Columns.PORT, pu);
            if (p == null) {
                continue;
            }
            for (String iu : Datum.uuids(p.get("interfaces"))) {
                ObjectNode i = db.row(Columns.INTERFACE, iu);
                if (i != null) {
                    names.add(Datum.string(i.get("name")));
                }
            }
        }
        return new ArrayList<>(names);
    }
}
