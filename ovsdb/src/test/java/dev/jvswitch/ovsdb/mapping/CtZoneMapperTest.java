package dev.jvswitch.ovsdb.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.jvswitch.config.BridgeSettings;
import dev.jvswitch.config.ConfigEnvironment;
import dev.jvswitch.config.ConntrackSettings;
import dev.jvswitch.config.FlowChecker;
import dev.jvswitch.config.OfprotoDefaults;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.yaml.YamlConfigLoader;
import dev.jvswitch.conntrack.CtTimeouts;
import dev.jvswitch.ovsdb.data.Replica;

/** The netdev Datapath's CT_Zone and CT_Timeout_Policy rows to the YAML conntrack section's model. */
class CtZoneMapperTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final FlowChecker ACCEPT = new FlowChecker() {
        @Override
        public String checkFlow(String flow) {
            return null;
        }

        @Override
        public String checkGroup(String group) {
            return null;
        }

        @Override
        public String checkVlans() {
            return null;
        }

        @Override
        public String checkPrefixes(List<String> fields) {
            return null;
        }
    };
    private static final ConfigEnvironment ENV = env();

    private static ConfigEnvironment env() {
        BitSet cpus = new BitSet();
        cpus.set(0, 2);
        return new ConfigEnvironment(cpus, Set.of("afpacket", "null"), ACCEPT,
                new OfprotoDefaults(10_000, new BridgeSettings(2048, 300)));
    }

    private static DbConfig map(String yaml, String json) throws Exception {
        Replica r = new Replica();
        r.apply(M.readTree(json.replace('\'', '"')));
        SwitchConfig base = new YamlConfigLoader(ENV).parse("test.yaml", yaml);
        return new OvsdbMapper(ENV).map(r, base, new MapContext("unix:/db.sock", "/run/ovs", Map.of(), n -> false,
                null));
    }

    /** A root whose netdev datapath is {@code dp} (its columns), with the other rows given. */
    private static String db(String dp, String rows) {
        return "{'Open_vSwitch':{'r':{'new':{'next_cfg':1,'bridges':['set',[]],'datapaths':['map',[['netdev',"
                + "['uuid','d0']],['system',['uuid','d1']]]]}}},'Datapath':{'d0':{'new':{" + dp + "}},"
                + "'d1':{'new':{'ct_zones':['map',[[9,['uuid','z9']]]]}}}" + rows + "}";
    }

    @Test
    void zonesOfTheNetdevDatapathBecomeTimeoutPoliciesAndLimits() throws Exception {
        String json = db("'ct_zones':['map',[[5,['uuid','z5']],[7,['uuid','z7']]]],'ct_zone_default_limit':100",
                ",'CT_Zone':{'z5':{'new':{'timeout_policy':['uuid','tp1']}},'z7':{'new':{'limit':10}},"
                        + "'z9':{'new':{'timeout_policy':['uuid','tp1']}}},"
                        + "'CT_Timeout_Policy':{'tp1':{'new':{'timeouts':['map',[['udp_first',30],"
                        + "['tcp_established',3600],['tcp_unack',5],['icmp_reply',0]]]}}}");
        DbConfig c = map("conntrack: {ct-maxconns: 5000, zones: {5: {limit: 50}, 6: {limit: 60,"
                + " timeout-policy: {udp_first: 9}}}}\n", json);
        ConntrackSettings ct = c.config().conntrack();
        assertThat(ct.maxConns()).as("the file's global settings stay").isEqualTo(5000);
        assertThat(ct.defaultLimit()).isEqualTo(100);
        assertThat(ct.zonePolicies()).as("the system datapath's zone 9 is not ours; tcp_unack has no class here")
                .containsOnly(Map.entry(5, Map.of(CtTimeouts.OTHER_FIRST, 30, CtTimeouts.TCP_ESTABLISHED, 3600)),
                        Map.entry(6, Map.of(CtTimeouts.OTHER_FIRST, 9)));
        assertThat(ct.zoneLimits()).as("zone 5 is the database's now, without a limit; 6 is the file's")
                .containsOnly(Map.entry(6, 60), Map.entry(7, 10));
        assertThat(c.config().warnings()).extracting(Object::toString)
                .anyMatch(w -> w.contains("CT_Zone 5 timeout_policy icmp_reply") && w.contains("out of range"));
    }

    @Test
    void withoutZonesTheFileDecides() throws Exception {
        DbConfig c = map("conntrack: {zones: {5: {limit: 50}}}\n", db("", ""));
        assertThat(c.config().conntrack().zoneLimits()).containsOnly(Map.entry(5, 50));
        DbConfig none = map("", "{'Open_vSwitch':{'r':{'new':{'next_cfg':1,'bridges':['set',[]]}}}}");
        assertThat(none.config().conntrack()).isEqualTo(ConntrackSettings.DEFAULTS);
    }
}
