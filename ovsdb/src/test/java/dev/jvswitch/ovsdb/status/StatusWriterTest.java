package dev.jvswitch.ovsdb.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.jvswitch.ovsdb.data.Replica;

/** Status reports to transact operations: only what changed since the last write. */
class StatusWriterTest {
    private static Replica db() throws Exception {
        Replica r = new Replica();
        r.apply(new ObjectMapper().readTree(("{'Open_vSwitch':{'root':{'new':{'next_cfg':4}}},"
                + "'Bridge':{'b0':{'new':{'name':'br0'}}},'Port':{'p0':{'new':{'name':'bond0'}}},"
                + "'Interface':{'i1':{'new':{'name':'eth1'}},'i2':{'new':{'name':'gone0'}}}}").replace('\'', '"')));
        return r;
    }

    private static InterfaceStatus up(long rxPackets) {
        return new InterfaceStatus(1, 7L, 1500L, "up", "up", "02:00:00:00:00:01", null,
                Map.of("rx_packets", rxPackets), Map.of("driver_name", "jvswitch-afpacket"));
    }

    @Test
    void writesEverythingFirstThenOnlyWhatChanged() throws Exception {
        Replica db = db();
        StatusWriter w = new StatusWriter();
        StatusReport first = new StatusReport(4, Map.of("eth1", up(0), "gone0",
                InterfaceStatus.failed("could not open network device gone0 (No such device)"),
                "deleted0", up(0)), Map.of("br0", "00000000000000a1"));
        ArrayNode ops = w.operations(db, first);
        assertThat(ops).hasSize(4);
        assertThat(ops.toString()).contains("\"table\":\"Interface\"", "[\"_uuid\",\"==\",[\"uuid\",\"i1\"]]",
                "\"ofport\":1", "\"link_state\":\"up\"", "\"error\":[\"set\",[]]", "\"ofport\":-1",
                "\"error\":\"could not open network device gone0 (No such device)\"",
                "\"datapath_id\":\"00000000000000a1\"", "\"cur_cfg\":4")
                .doesNotContain("deleted0");

        assertThat(w.operations(db, new StatusReport(-1, Map.of("eth1", up(0)), Map.of("br0", "00000000000000a1"))))
                .as("an idle refresh writes nothing").isEmpty();

        ArrayNode stats = w.operations(db, new StatusReport(-1, Map.of("eth1", up(5)), Map.of()));
        assertThat(stats).hasSize(1);
        assertThat(stats.get(0).get("row").properties()).extracting(Map.Entry::getKey).containsExactly("statistics");

        w.forget();
        assertThat(w.operations(db, new StatusReport(-1, Map.of("eth1", up(5)), Map.of()))).as("after a reconnect")
                .hasSize(1).allMatch(op -> op.get("row").size() == 9);
    }

    @Test
    void aBondsActiveMemberGoesToItsPortRowWhenItChanges() throws Exception {
        Replica db = db();
        StatusWriter w = new StatusWriter();
        ArrayNode ops = w.operations(db, new StatusReport(-1, Map.of(), Map.of(),
                Map.of("bond0", "02:00:00:00:00:02", "nobond", "02:00:00:00:00:09")));
        assertThat(ops).hasSize(1);
        assertThat(ops.toString()).contains("\"table\":\"Port\"", "[\"_uuid\",\"==\",[\"uuid\",\"p0\"]]",
                "\"bond_active_slave\":\"02:00:00:00:00:02\"");
        assertThat(w.operations(db, new StatusReport(-1, Map.of(), Map.of(), Map.of("bond0", "02:00:00:00:00:02"))))
                .as("unchanged").isEmpty();
        assertThat(w.operations(db, new StatusReport(-1, Map.of(), Map.of(), Map.of("bond0", "00:00:00:00:00:00")))
                .toString()).as("no live member").contains("\"bond_active_slave\":\"00:00:00:00:00:00\"");
    }
}
