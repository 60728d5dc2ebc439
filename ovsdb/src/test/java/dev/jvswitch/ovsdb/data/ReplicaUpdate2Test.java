package dev.jvswitch.ovsdb.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** monitor_cond's update2 against the replica: whole rows, deletes, and column differences. */
class ReplicaUpdate2Test {
    private static final ObjectMapper M = new ObjectMapper();
    private static final Map<String, Map<String, Replica.Kind>> KINDS = Map.of("Port", Map.of("name",
            Replica.Kind.SCALAR, "tag", Replica.Kind.SCALAR, "trunks", Replica.Kind.SET, "other_config", Replica.Kind.MAP));

    private static void apply2(Replica r, String json) throws Exception {
        r.apply2(M.readTree(json.replace('\'', '"')), KINDS);
    }

    @Test
    void differencesApplyAsOvsdbServerSendsThem() throws Exception {
        Replica r = new Replica();
        apply2(r, "{'Port':{'p1':{'initial':{'name':'eth1','tag':10,'trunks':['set',[]],"
                + "'other_config':['map',[['a','1'],['b','2']]]}},'p2':{'initial':{'name':'eth2'}}}}");
        Replica before = r.copy();
        // tag 10 -> 20 (an optional column: its new value, as ovsdb-server 3.1 sends it), trunks gain
        // 5 and 7, a removed (same value), b changed, c added.
        apply2(r, "{'Port':{'p1':{'modify':{'tag':20,'trunks':['set',[5,7]],"
                + "'other_config':['map',[['a','1'],['b','3'],['c','4']]]}},'p2':{'delete':null},"
                + "'p3':{'insert':{'name':'eth3'}}}}");
        assertThat(Datum.optInteger(r.row("Port", "p1").get("tag"))).isEqualTo(20);
        assertThat(Datum.integers(r.row("Port", "p1").get("trunks"))).containsExactly(5L, 7L);
        assertThat(Datum.stringMap(r.row("Port", "p1").get("other_config"))).containsOnly(Map.entry("b", "3"),
                Map.entry("c", "4"));
        assertThat(Datum.string(r.row("Port", "p1").get("name"))).as("untouched").isEqualTo("eth1");
        assertThat(r.rows("Port")).containsOnlyKeys("p1", "p3");
        assertThat(Datum.optInteger(before.row("Port", "p1").get("tag"))).as("a copy keeps its rows").isEqualTo(10);

        // The tag cleared: the empty set (what `ovs-vsctl clear port p1 tag` makes the server send).
        apply2(r, "{'Port':{'p1':{'modify':{'tag':['set',[]],'name':'eth9'}}}}");
        assertThat(Datum.optInteger(r.row("Port", "p1").get("tag"))).isNull();
        assertThat(Datum.string(r.row("Port", "p1").get("name"))).isEqualTo("eth9");
    }
}
