package dev.jvswitch.ovsdb.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class DatumTest {
    private static final ObjectMapper M = new ObjectMapper();

    private static JsonNode j(String s) throws Exception {
        return M.readTree(s.replace('\'', '"'));
    }

    @Test
    void setsAreOneAtomOrASetOfThem() throws Exception {
        assertThat(Datum.set(j("['set',[]]"))).isEmpty();
        assertThat(Datum.set(j("'x'"))).hasSize(1);
        assertThat(Datum.strings(j("['set',['OpenFlow13','OpenFlow15']]"))).containsExactly("OpenFlow13", "OpenFlow15");
        assertThat(Datum.integers(j("['set',[10,20]]"))).containsExactly(10L, 20L);
        assertThat(Datum.optInteger(j("['set',[]]"))).isNull();
        assertThat(Datum.optInteger(j("3"))).isEqualTo(3L);
        assertThat(Datum.optString(j("['set',[]]"))).isNull();
        assertThat(Datum.string(null)).isEmpty();
    }

    @Test
    void uuidsAndReferences() throws Exception {
        assertThat(Datum.uuid(j("['uuid','abc']"))).isEqualTo("abc");
        assertThat(Datum.uuid(j("'abc'"))).isNull();
        assertThat(Datum.uuids(j("['uuid','a']"))).containsExactly("a");
        assertThat(Datum.uuids(j("['set',[['uuid','a'],['uuid','b']]]"))).containsExactly("a", "b");
        assertThat(Datum.uuidMap(j("['map',[[0,['uuid','t0']],[3,['uuid','t3']]]]")))
                .containsExactly(Map.entry("0", "t0"), Map.entry("3", "t3"));
    }

    @Test
    void mapsReadAsTextInKeyOrder() throws Exception {
        assertThat(Datum.stringMap(j("['map',[['remote_ip','192.0.2.2'],['key','100']]]")))
                .containsExactly(Map.entry("key", "100"), Map.entry("remote_ip", "192.0.2.2"));
        assertThat(Datum.stringMap(j("['set',[]]"))).isEmpty();
    }

    @Test
    void writesOvsdbNotation() {
        assertThat(Datum.optInteger((Long) null).toString()).isEqualTo("[\"set\",[]]");
        assertThat(Datum.optInteger(7L).toString()).isEqualTo("7");
        assertThat(Datum.map(Map.of("rx_packets", 5L)).toString()).isEqualTo("[\"map\",[[\"rx_packets\",5]]]");
        assertThat(Datum.namedUuid("x").toString()).isEqualTo("[\"named-uuid\",\"x\"]");
    }

    @Test
    void replicaFollowsUpdates() throws Exception {
        Replica r = new Replica();
        r.apply(j("{'Bridge':{'u1':{'new':{'name':'br0'}},'u2':{'new':{'name':'br1'}}}}"));
        assertThat(r.rows("Bridge")).containsOnlyKeys("u1", "u2");
        r.apply(j("{'Bridge':{'u1':{'old':{'name':'br0'},'new':{'name':'br9'}},'u2':{'old':{'name':'br1'}}}}"));
        assertThat(r.rows("Bridge")).containsOnlyKeys("u1");
        assertThat(r.row("Bridge", "u1").get("name").asText()).isEqualTo("br9");
        Replica copy = r.copy();
        r.clear();
        assertThat(r.rows("Bridge")).isEmpty();
        assertThat(copy.rows("Bridge")).containsOnlyKeys("u1");
    }
}
