package dev.jvswitch.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.jvswitch.ovsdb.data.Replica;
import dev.jvswitch.ovsdb.mapping.Columns;

/** The rows monitor_cond asks for: the netdev datapath, its zones and their policies, no other type's. */
class ConditionsTest {
    private static final ObjectMapper M = new ObjectMapper();

    private static Replica db(String json) throws Exception {
        Replica r = new Replica();
        r.apply(M.readTree(json.replace('\'', '"')));
        return r;
    }

    private static String text(ArrayNode where) {
        return where.toString().replace('"', '\'');
    }

    @Test
    void conditionsFollowTheReferencesFromTheRootDown() throws Exception {
        Replica empty = new Replica();
        Map<String, ArrayNode> none = Conditions.of(empty, Columns.MONITORED);
        assertThat(none.keySet()).containsExactly(Columns.DATAPATH, Columns.CT_ZONE, Columns.CT_TIMEOUT_POLICY);
        assertThat(none.values()).allSatisfy(w -> assertThat(text(w)).isEqualTo("[false]"));

        Replica root = db("{'Open_vSwitch':{'r':{'new':{'datapaths':['map',[['netdev',['uuid','d0']],"
                + "['system',['uuid','d1']]]]}}}}");
        Map<String, ArrayNode> first = Conditions.of(root, Columns.MONITORED);
        assertThat(text(first.get(Columns.DATAPATH))).isEqualTo("[['_uuid','==',['uuid','d0']]]");
        assertThat(text(first.get(Columns.CT_ZONE))).as("the datapath row is not here yet").isEqualTo("[false]");

        Replica full = db("{'Open_vSwitch':{'r':{'new':{'datapaths':['map',[['netdev',['uuid','d0']],"
                + "['system',['uuid','d1']]]]}}},"
                + "'Datapath':{'d0':{'new':{'ct_zones':['map',[[5,['uuid','z5']],[7,['uuid','z7']]]]}},"
                + "'d1':{'new':{'ct_zones':['map',[[9,['uuid','z9']]]]}}},"
                + "'CT_Zone':{'z5':{'new':{'timeout_policy':['uuid','p1']}},'z7':{'new':{'timeout_policy':['set',[]]}}}}");
        Map<String, ArrayNode> all = Conditions.of(full, Columns.MONITORED);
        assertThat(text(all.get(Columns.CT_ZONE))).as("any of the netdev zones; not z9, the system datapath's")
                .isEqualTo("[['_uuid','==',['uuid','z5']],['_uuid','==',['uuid','z7']]]");
        assertThat(text(all.get(Columns.CT_TIMEOUT_POLICY))).isEqualTo("[['_uuid','==',['uuid','p1']]]");
    }

    @Test
    void aSchemaWithoutTheDatapathTableHasNoConditions() {
        Map<String, List<String>> old = Map.of(Columns.ROOT, List.of("bridges"));
        assertThat(Conditions.of(new Replica(), old)).isEmpty();
        ArrayNode w = Conditions.where(List.of());
        assertThat(Schema.monitorRequests(Map.of(Columns.DATAPATH, List.of("ct_zones")), Map.of(Columns.DATAPATH, w))
                .toString()).isEqualTo("{\"Datapath\":{\"columns\":[\"ct_zones\"],\"where\":[false]}}");
    }
}
