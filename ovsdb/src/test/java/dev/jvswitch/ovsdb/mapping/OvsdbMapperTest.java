package dev.jvswitch.ovsdb.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.jvswitch.config.BridgeSettings;
import dev.jvswitch.config.BondSpec;
import dev.jvswitch.config.BridgeMirror;
import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.ConfigEnvironment;
import dev.jvswitch.config.FlowChecker;
import dev.jvswitch.config.OfprotoDefaults;
import dev.jvswitch.config.OpenFlowSettings;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.yaml.YamlConfigLoader;
import dev.jvswitch.ovsdb.data.Replica;

/** Rows of the stock schema to a switch-config snapshot, and the same snapshot as the YAML file's. */
class OvsdbMapperTest {
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
            return fields.contains("bogus") ? "bogus is not a prefix field" : null;
        }
    };
    private static final ConfigEnvironment ENV = env();
    private static final Set<String> DEVICES = Set.of("eth1", "eth2", "veth0");

    private static ConfigEnvironment env() {
        BitSet cpus = new BitSet();
        cpus.set(0, 2);
        return new ConfigEnvironment(cpus, Set.of("afpacket", "null", "vxlan", "ring"), ACCEPT,
                new OfprotoDefaults(10_000, new BridgeSettings(2048, 300)));
    }

    private static SwitchConfig yaml(String text) throws Exception {
        return new YamlConfigLoader(ENV).parse("test.yaml", text);
    }

    private static Replica db(String json) throws Exception {
        Replica r = new Replica();
        r.apply(M.readTree(json.replace('\'', '"')));
        return r;
    }

    private static MapContext ctx(Map<String, Integer> known, MapContext.Pinned pinned) {
        return new MapContext("unix:/db.sock", "/run/ovs", known, DEVICES::contains, pinned);
    }

    private static DbConfig map(String json) throws Exception {
        return new OvsdbMapper(ENV).map(db(json), yaml("datapath: {pmd-cpu-mask: 0x2}\n"), ctx(Map.of(), null));
    }

    /** A root with bridge br0 holding {@code ports} (Port uuids), and the rows given. */
    private static String one(String bridgeExtra, String ports, String rows) {
        return "{'Open_vSwitch':{'r':{'new':{'next_cfg':7,'other_config':['map',[]],'bridges':['uuid','b0']}}},"
                + "'Bridge':{'b0':{'new':{'name':'br0','datapath_type':'netdev','ports':['set',[" + ports + "]]"
                + bridgeExtra + "}}}" + rows + "}";
    }

    @Test
    void portsAndInterfacesBecomePortSpecs() throws Exception {
        DbConfig c = map(one("", "['uuid','p1'],['uuid','p2'],['uuid','p0']",
                ",'Port':{'p1':{'new':{'name':'eth1','interfaces':['uuid','i1'],'tag':10}},"
                        + "'p2':{'new':{'name':'d0','interfaces':['uuid','i2'],'trunks':['set',[20,10]]}},"
                        + "'p0':{'new':{'name':'br0','interfaces':['uuid','i0']}}},"
                        + "'Interface':{'i1':{'new':{'name':'eth1','type':'','options':['map',[['n_rxq','2']]],"
                        + "'ofport_request':5}},"
                        + "'i2':{'new':{'name':'d0','type':'dummy','ofport_request':['set',[]],'mtu_request':9000}},"
                        + "'i0':{'new':{'name':'br0','type':'internal'}}}"));
        assertThat(c.nextCfg()).isEqualTo(7);
        assertThat(c.interfaceErrors()).isEmpty();
        assertThat(c.bridgePorts()).containsOnly(Map.entry("br0", "br0"));
        BridgeSpec br0 = c.config().bridges().get("br0");
        PortSpec eth1 = br0.ports().get("eth1");
        assertThat(eth1.type()).isEqualTo("afpacket");
        assertThat(eth1.options()).containsOnly(Map.entry("ifname", "eth1"), Map.entry("rxqs", "2"));
        assertThat(eth1.ofport()).isEqualTo(5);
        assertThat(eth1.tag()).isEqualTo(10);
        PortSpec d0 = br0.ports().get("d0");
        assertThat(d0.type()).isEqualTo("null");
        assertThat(d0.ofport()).isEqualTo(1);
        assertThat(d0.trunks()).containsExactly(10, 20);
        assertThat(br0.flowTexts()).containsExactly(BridgeSpec.DEFAULT_FLOW);
        assertThat(br0.openflow().listeners()).hasSize(1);
        assertThat(br0.openflow().listeners().get(0).toString()).isEqualTo("punix:/run/ovs/br0.mgmt");
        assertThat(c.config().warnings()).isEmpty();
        assertThat(c.mtuRequests()).as("the daemon sets the device MTU").containsOnly(Map.entry("d0", 9000));
        assertThat(d0.options()).as("a changed request reopens no port").doesNotContainKey("mtu_request");
    }

    @Test
    void aBadInterfaceIsLeftOutWithItsReasonAndTheOthersStay() throws Exception {
        DbConfig c = map(one("", "['uuid','p1'],['uuid','p2'],['uuid','p3'],['uuid','p4']",
                ",'Port':{'p1':{'new':{'name':'gone0','interfaces':['uuid','i1']}},"
                        + "'p2':{'new':{'name':'eth2','interfaces':['uuid','i2']}},"
                        + "'p3':{'new':{'name':'g0','interfaces':['uuid','i3']}},"
                        + "'p4':{'new':{'name':'bond0','bond_mode':'balance-tcp',"
                        + "'interfaces':['set',[['uuid','i4'],['uuid','i5']]]}}},"
                        + "'Interface':{'i1':{'new':{'name':'gone0','type':'system'}},"
                        + "'i2':{'new':{'name':'eth2','type':''}},"
                        + "'i3':{'new':{'name':'g0','type':'geneve'}},"
                        + "'i4':{'new':{'name':'veth0','type':''}},'i5':{'new':{'name':'eth1','type':''}}}"));
        assertThat(c.interfaceErrors()).containsOnlyKeys("gone0", "g0", "veth0", "eth1");
        assertThat(c.interfaceErrors().get("gone0")).isEqualTo("could not open network device gone0 (No such device)");
        assertThat(c.interfaceErrors().get("g0")).contains("'geneve' is not supported yet");
        assertThat(c.interfaceErrors().get("veth0")).isEqualTo("port bond0: bond_mode balance-tcp needs LACP, which"
                + " jvswitch does not have (use active-backup or balance-slb)");
        assertThat(c.interfaceErrors().get("eth1")).isEqualTo(c.interfaceErrors().get("veth0"));
        assertThat(c.config().bridges().get("br0").ports()).containsOnlyKeys("eth2");
        DbConfig retried = c.without(Map.of("eth2", "cannot open"));
        assertThat(retried.config().ports()).isEmpty();
        assertThat(retried.interfaceErrors()).containsEntry("eth2", "cannot open");
    }

    @Test
    void aPortWithSeveralInterfacesIsABondOfPortsSharingItsVlans() throws Exception {
        DbConfig c = map(one("", "['uuid','p1'],['uuid','p2']",
                ",'Port':{'p1':{'new':{'name':'bond0','tag':10,'bond_mode':'balance-slb','lacp':'active',"
                        + "'interfaces':['set',[['uuid','i1'],['uuid','i2']]]}},"
                        + "'p2':{'new':{'name':'ab0','other_config':['map',[['bond-primary','d2']]],"
                        + "'interfaces':['set',[['uuid','i3'],['uuid','i4']]]}}},"
                        + "'Interface':{'i1':{'new':{'name':'eth1','type':''}},'i2':{'new':{'name':'eth2','type':''}},"
                        + "'i3':{'new':{'name':'d1','type':'dummy'}},'i4':{'new':{'name':'d2','type':'dummy'}}}"));
        assertThat(c.interfaceErrors()).isEmpty();
        Map<String, PortSpec> ports = c.config().bridges().get("br0").ports();
        assertThat(ports).containsOnlyKeys("eth1", "eth2", "d1", "d2");
        BondSpec slb = new BondSpec("bond0", BondSpec.BALANCE_SLB, null, List.of("eth1", "eth2"));
        assertThat(ports.get("eth1").bond()).isEqualTo(slb);
        assertThat(ports.get("eth2").bond()).isEqualTo(slb);
        assertThat(ports.get("eth2").tag()).isEqualTo(10);
        assertThat(ports.get("d1").bond()).isEqualTo(new BondSpec("ab0", BondSpec.ACTIVE_BACKUP, "d2", List.of("d1", "d2")));
        assertThat(ports.values()).extracting(PortSpec::ofport).doesNotHaveDuplicates();
        assertThat(c.config().warnings()).extracting(Object::toString).containsExactly(
                "unix:/db.sock:1: Port bond0 lacp: LACP is not supported; the bond runs balance-slb without it");
    }

    @Test
    void aBondTakesItsRebalanceIntervalFromOtherConfigAndABadOneIsReported() throws Exception {
        DbConfig c = map(one("", "['uuid','p1'],['uuid','p2']",
                ",'Port':{'p1':{'new':{'name':'bond0','bond_mode':'balance-slb',"
                        + "'other_config':['map',[['bond-rebalance-interval','2500']]],"
                        + "'interfaces':['set',[['uuid','i1'],['uuid','i2']]]}},"
                        + "'p2':{'new':{'name':'bond1','bond_mode':'balance-slb',"
                        + "'other_config':['map',[['bond-rebalance-interval','soon']]],"
                        + "'interfaces':['set',[['uuid','i3'],['uuid','i4']]]}}},"
                        + "'Interface':{'i1':{'new':{'name':'d1','type':'dummy'}},'i2':{'new':{'name':'d2','type':'dummy'}},"
                        + "'i3':{'new':{'name':'d3','type':'dummy'}},'i4':{'new':{'name':'d4','type':'dummy'}}}"));
        Map<String, PortSpec> ports = c.config().bridges().get("br0").ports();
        assertThat(ports.get("d1").bond().rebalanceIntervalMs()).isEqualTo(2500);
        assertThat(ports.get("d3").bond().rebalanceIntervalMs()).isEqualTo(BondSpec.DEFAULT_REBALANCE_INTERVAL_MS);
        assertThat(c.config().warnings()).extracting(Object::toString).containsExactly(
                "unix:/db.sock:1: Port bond1 other_config:bond-rebalance-interval: expected milliseconds (0 to turn"
                        + " rebalancing off), got 'soon'; using 10000");
    }

    @Test
    void nativeVlanModesKeepTheTagAsTheNativeVlanAndDot1qTunnelIsRefused() throws Exception {
        DbConfig c = map(one("", "['uuid','p1'],['uuid','p2'],['uuid','p3']",
                ",'Port':{'p1':{'new':{'name':'d1','vlan_mode':'native-untagged','tag':10,"
                        + "'trunks':['set',[20,30]],'interfaces':['uuid','i1']}},"
                        + "'p2':{'new':{'name':'d2','vlan_mode':'native-tagged','interfaces':['uuid','i2']}},"
                        + "'p3':{'new':{'name':'d3','vlan_mode':'dot1q-tunnel','tag':5,'interfaces':['uuid','i3']}}},"
                        + "'Interface':{'i1':{'new':{'name':'d1','type':'dummy'}},'i2':{'new':{'name':'d2','type':'dummy'}},"
                        + "'i3':{'new':{'name':'d3','type':'dummy'}}}"));
        Map<String, PortSpec> ports = c.config().bridges().get("br0").ports();
        assertThat(ports.get("d1").vlanMode()).isEqualTo(PortSpec.NATIVE_UNTAGGED);
        assertThat(ports.get("d1").tag()).isEqualTo(10);
        assertThat(ports.get("d1").trunks()).containsExactly(20, 30);
        assertThat(ports.get("d2").vlanMode()).isEqualTo(PortSpec.NATIVE_TAGGED);
        assertThat(ports.get("d2").tag()).as("no tag: native VLAN 0, as OVS").isZero();
        assertThat(ports).doesNotContainKey("d3");
        assertThat(c.interfaceErrors()).containsOnly(Map.entry("d3", "vlan_mode dot1q-tunnel is not supported yet"
                + " (access, trunk, native-tagged and native-untagged are)"));
    }

    @Test
    void mirrorRowsNameTheInterfacesOfTheirPorts() throws Exception {
        DbConfig c = map(one(",'mirrors':['set',[['uuid','m1'],['uuid','m2']]]",
                "['uuid','p1'],['uuid','p2'],['uuid','p3']",
                ",'Port':{'p1':{'new':{'name':'eth1','interfaces':['uuid','i1']}},"
                        + "'p2':{'new':{'name':'eth2','interfaces':['uuid','i2']}},"
                        + "'p3':{'new':{'name':'d0','interfaces':['uuid','i3']}}},"
                        + "'Interface':{'i1':{'new':{'name':'eth1','type':''}},'i2':{'new':{'name':'eth2','type':''}},"
                        + "'i3':{'new':{'name':'d0','type':'dummy'}}},"
                        + "'Mirror':{'m1':{'new':{'name':'m1','select_src_port':['uuid','p1'],"
                        + "'select_dst_port':['set',[['uuid','p1'],['uuid','p2']]],'output_port':['uuid','p3']}},"
                        + "'m2':{'new':{'name':'m2','select_all':true,'select_vlan':10,'output_port':['uuid','p3']}}}"));
        assertThat(c.config().bridges().get("br0").mirrors()).containsExactly(
                new BridgeMirror("m1", false, List.of("eth1"), List.of("eth1", "eth2"), "d0"));
        assertThat(c.config().warnings()).extracting(Object::toString).containsExactly(
                "unix:/db.sock:1: Mirror m2 select_vlan: selecting by VLAN is not supported yet; mirror ignored");
        assertThat(c.without(Map.of("eth2", "cannot open")).config().bridges().get("br0").mirrors())
                .as("a retry without a failed port keeps the mirrors").isEqualTo(c.config().bridges().get("br0").mirrors());
    }

    @Test
    void ofportsStayWithTheirInterface() throws Exception {
        String rows = ",'Port':{'p1':{'new':{'name':'a','interfaces':['uuid','i1']}},"
                + "'p2':{'new':{'name':'b','interfaces':['uuid','i2']}},"
                + "'p3':{'new':{'name':'c','interfaces':['uuid','i3']}}},"
                + "'Interface':{'i1':{'new':{'name':'a','type':'dummy'}},"
                + "'i2':{'new':{'name':'b','type':'dummy','ofport_request':1}},"
                + "'i3':{'new':{'name':'c','type':'dummy'}}}";
        DbConfig c = new OvsdbMapper(ENV).map(db(one("", "['uuid','p1'],['uuid','p2'],['uuid','p3']", rows)),
                yaml(""), ctx(Map.of("c", 7, "a", 1), null));
        Map<String, PortSpec> ports = c.config().bridges().get("br0").ports();
        assertThat(ports.get("b").ofport()).as("requested").isEqualTo(1);
        assertThat(ports.get("c").ofport()).as("had 7").isEqualTo(7);
        assertThat(ports.get("a").ofport()).as("had 1, taken by a request: lowest free").isEqualTo(2);
    }

    @Test
    void globalAndBridgeSettings() throws Exception {
        String json = "{'Open_vSwitch':{'r':{'new':{'next_cfg':3,'other_config':['map',[['emc-insert-inv-prob','10'],"
                + "['max-idle','20000'],['smc-enable','true'],['pmd-rxq-assign','group'],['flow-limit','0'],"
                + "['n-handler-threads','4'],['pmd-cpu-mask','3']]],'bridges':['uuid','b0']}}},"
                + "'Bridge':{'b0':{'new':{'name':'br0','fail_mode':'secure','protocols':['set',['OpenFlow10',"
                + "'OpenFlow14']],'controller':['uuid','c0'],'flow_tables':['map',[[0,['uuid','t0']],[1,['uuid','t1']]]],"
                + "'other_config':['map',[['datapath-id','00000000000000a1'],['mac-table-size','4096']]],"
                + "'ports':['set',[]]}}},"
                + "'Controller':{'c0':{'new':{'target':'tcp:127.0.0.1:6653','inactivity_probe':3000}}},"
                + "'Flow_Table':{'t0':{'new':{'prefixes':['set',['nw_dst']]}},'t1':{'new':{'prefixes':'bogus'}}}}";
        DbConfig c = new OvsdbMapper(ENV).map(db(json), yaml(""), ctx(Map.of(), new MapContext.Pinned(new int[] {1}, 1)));
        SwitchConfig s = c.config();
        assertThat(s.datapath().emcInsertInvProb()).isEqualTo(10);
        assertThat(s.datapath().smcEnable()).isTrue();
        assertThat(s.revalidators().maxIdleMs()).isEqualTo(20_000);
        assertThat(s.datapath().flowLimit()).as("0 is out of range: default kept").isEqualTo(200_000);
        assertThat(s.pmdCpus()).as("pinned while running").containsExactly(1);
        assertThat(s.warnings()).extracting(Object::toString).anyMatch(w -> w.contains("pmd-cpu-mask: cannot change"))
                .anyMatch(w -> w.contains("pmd-rxq-assign: 'group' is not supported"))
                .anyMatch(w -> w.contains("flow-limit"))
                .anyMatch(w -> w.contains("OpenFlow10 is not supported"))
                .anyMatch(w -> w.contains("bogus is not a prefix field"))
                .noneMatch(w -> w.contains("n-handler-threads"));
        BridgeSpec br0 = s.bridges().get("br0");
        assertThat(br0.settings().macTableSize()).isEqualTo(4096);
        assertThat(br0.settings().prefixes()).containsOnly(Map.entry(0, List.of("nw_dst")));
        OpenFlowSettings of = br0.openflow();
        assertThat(of.failMode()).isEqualTo(OpenFlowSettings.FailMode.SECURE);
        assertThat(of.protocols()).containsExactly(5);
        assertThat(of.datapathId()).isEqualTo(0xa1);
        assertThat(of.inactivityProbeMs()).isEqualTo(3000);
        assertThat(of.controllers()).extracting(Object::toString).containsExactly("tcp:127.0.0.1:6653");
        assertThat(br0.flowTexts()).as("secure, with a controller: no default flow").isEmpty();
    }

    @Test
    void theSameSwitchGivesTheSameSnapshotAsTheYamlFile() throws Exception {
        SwitchConfig fromYaml = yaml("""
                datapath:
                  emc-insert-inv-prob: 10
                bridges:
                  br0:
                    mac-aging-time: 60
                    listen: [punix:/run/ovs/br0.mgmt]
                    fail-mode: standalone
                    flow-tables:
                      0: {prefixes: [nw_dst]}
                    ports:
                      eth1: {type: afpacket, ofport: 5, options: {ifname: eth1}, tag: 10}
                      d0: {type: "null", ofport: 1}
                      vx0: {type: vxlan, ofport: 2, options: {remote_ip: 192.0.2.2, key: "100"}, trunks: [10, 20]}
                """);
        DbConfig fromDb = map("{'Open_vSwitch':{'r':{'new':{'next_cfg':1,'other_config':['map',[['emc-insert-inv-prob',"
                + "'10']]],'bridges':['uuid','b0']}}},"
                + "'Bridge':{'b0':{'new':{'name':'br0','other_config':['map',[['mac-aging-time','60']]],"
                + "'flow_tables':['map',[[0,['uuid','t0']]]],'ports':['set',[['uuid','p1'],['uuid','p2'],['uuid','p3']]]}}},"
                + "'Flow_Table':{'t0':{'new':{'prefixes':'nw_dst'}}},"
                + "'Port':{'p1':{'new':{'name':'eth1','interfaces':['uuid','i1'],'tag':10}},"
                + "'p2':{'new':{'name':'d0','interfaces':['uuid','i2']}},"
                + "'p3':{'new':{'name':'vx0','interfaces':['uuid','i3'],'trunks':['set',[10,20]]}}},"
                + "'Interface':{'i1':{'new':{'name':'eth1','type':'system','ofport_request':5}},"
                + "'i2':{'new':{'name':'d0','type':'dummy','ofport_request':1}},"
                + "'i3':{'new':{'name':'vx0','type':'vxlan','ofport_request':2,'options':['map',[['key','100'],"
                + "['remote_ip','192.0.2.2']]]}}}}");
        SwitchConfig db = fromDb.config();
        assertThat(db.datapath().emcInsertInvProb()).isEqualTo(fromYaml.datapath().emcInsertInvProb());
        BridgeSpec y = fromYaml.bridges().get("br0");
        BridgeSpec d = db.bridges().get("br0");
        assertThat(d.settings()).isEqualTo(y.settings());
        assertThat(d.openflow()).isEqualTo(y.openflow());
        assertThat(d.flowTexts()).isEqualTo(y.flowTexts());
        assertThat(d.ports().keySet()).containsExactlyInAnyOrderElementsOf(y.ports().keySet());
        for (PortSpec p : y.ports().values()) {
            PortSpec q = d.ports().get(p.name());
            assertThat(q.sameNetdev(p) && q.sameOpenFlow(p)).as(p.name() + ": " + q + " vs " + p).isTrue();
        }
    }

    @Test
    void internalInterfacesAreTapPortsPatchPortsJoinBridgesAndTunnelTypesGoByName() throws Exception {
        BitSet cpus = new BitSet();
        cpus.set(0, 2);
        ConfigEnvironment withTap = new ConfigEnvironment(cpus, Set.of("afpacket", "null", "vxlan", "tap", "geneve"),
                ACCEPT, new OfprotoDefaults(10_000, new BridgeSettings(2048, 300)));
        String json = one("", "['uuid','p0'],['uuid','p1'],['uuid','p2'],['uuid','p3'],['uuid','p4']",
                ",'Port':{'p0':{'new':{'name':'br0','interfaces':['uuid','i0']}},"
                        + "'p1':{'new':{'name':'vm1','interfaces':['uuid','i1'],'tag':5}},"
                        + "'p2':{'new':{'name':'to-br1','interfaces':['uuid','i2']}},"
                        + "'p3':{'new':{'name':'gn0','interfaces':['uuid','i3']}},"
                        + "'p4':{'new':{'name':'lonely','interfaces':['uuid','i4']}}},"
                        + "'Interface':{'i0':{'new':{'name':'br0','type':'internal','ofport_request':3}},"
                        + "'i1':{'new':{'name':'vm1','type':'internal'}},"
                        + "'i2':{'new':{'name':'to-br1','type':'patch','options':['map',[['peer','to-br0']]]}},"
                        + "'i3':{'new':{'name':'gn0','type':'geneve','options':['map',[['remote_ip','192.0.2.7']]]}},"
                        + "'i4':{'new':{'name':'lonely','type':'patch'}}}");
        OvsdbMapper mapper = new OvsdbMapper(withTap);
        DbConfig c = mapper.map(db(json), yaml(""), ctx(Map.of(), null));
        Map<String, PortSpec> ports = c.config().bridges().get("br0").ports();
        assertThat(c.bridgePorts()).as("the bridge's own is a real port now").isEmpty();
        assertThat(ports.get("br0").type()).isEqualTo("tap");
        assertThat(ports.get("br0").options()).containsOnly(Map.entry("ifname", "br0"));
        assertThat(ports.get("br0").ofport()).as("LOCAL, whatever was requested").isEqualTo(PortSpec.LOCAL);
        assertThat(ports.get("vm1").type()).isEqualTo("tap");
        assertThat(ports.get("vm1").ofport()).isBetween(1, 3);
        assertThat(ports.get("vm1").tag()).isEqualTo(5);
        assertThat(ports.get("to-br1").isPatch()).isTrue();
        assertThat(ports.get("to-br1").patchPeer()).isEqualTo("to-br0");
        assertThat(ports.get("gn0").type()).isEqualTo("geneve");
        assertThat(ports.get("gn0").options()).containsOnly(Map.entry("remote_ip", "192.0.2.7"));
        assertThat(c.interfaceErrors()).containsOnly(Map.entry("lonely", "patch interface lonely needs options:peer"));
        assertThat(mapper.ifaceTypes()).containsExactly("dummy", "geneve", "internal", "patch", "system", "vxlan");
        // A peer change is an OpenFlow change (the bridges are given again), not only a netdev one.
        PortSpec p = ports.get("to-br1");
        PortSpec moved = new PortSpec(p.bridge(), p.name(), p.type(), p.ofport(), Map.of("peer", "x"), p.tag(),
                p.trunks(), p.rxqAffinity(), p.line());
        assertThat(moved.sameOpenFlow(p)).isFalse();
    }

    @Test
    void statsUpdateIntervalAsOvsReadsIt() throws Exception {
        String json = "{'Open_vSwitch':{'r':{'new':{'next_cfg':1,'other_config':['map',[['stats-update-interval',"
                + "'%s']]],'bridges':['set',[]]}}}}";
        assertThat(map(json.formatted("12000")).statsIntervalMs()).isEqualTo(12_000);
        assertThat(map(json.formatted("1000")).statsIntervalMs()).as("at least 5000, as OVS").isEqualTo(5_000);
        DbConfig bad = map(json.formatted("soon"));
        assertThat(bad.statsIntervalMs()).isEqualTo(5_000);
        assertThat(bad.config().warnings()).extracting(Object::toString)
                .anyMatch(w -> w.contains("stats-update-interval: expected milliseconds, got 'soon'"));
        assertThat(map(one("", "", "")).statsIntervalMs()).as("default").isEqualTo(5_000);
    }

    @Test
    void bridgeHwaddrIsTheMacOfItsOwnInternalPort() throws Exception {
        BitSet cpus = new BitSet();
        cpus.set(0, 2);
        ConfigEnvironment withTap = new ConfigEnvironment(cpus, Set.of("afpacket", "null", "tap"), ACCEPT,
                new OfprotoDefaults(10_000, new BridgeSettings(2048, 300)));
        String rows = ",'Port':{'p0':{'new':{'name':'br0','interfaces':['uuid','i0']}},"
                + "'p1':{'new':{'name':'vm1','interfaces':['uuid','i1']}}},"
                + "'Interface':{'i0':{'new':{'name':'br0','type':'internal'}},'i1':{'new':{'name':'vm1','type':'internal'}}}";
        String json = one(",'other_config':['map',[['hwaddr','%s']]]", "['uuid','p0'],['uuid','p1']", rows);
        OvsdbMapper mapper = new OvsdbMapper(withTap);
        Map<String, PortSpec> ports = mapper.map(db(json.formatted("02:AA:00:00:00:01")), yaml(""),
                ctx(Map.of(), null)).config().bridges().get("br0").ports();
        assertThat(ports.get("br0").options()).containsEntry("mac", "02:aa:00:00:00:01");
        assertThat(ports.get("vm1").options()).as("only the bridge's own").doesNotContainKey("mac");
        DbConfig bad = mapper.map(db(json.formatted("01:00:5e:00:00:01")), yaml(""), ctx(Map.of(), null));
        assertThat(bad.config().bridges().get("br0").ports().get("br0").options()).doesNotContainKey("mac");
        assertThat(bad.config().warnings()).extracting(Object::toString)
                .anyMatch(w -> w.contains("hwaddr: expected a unicast MAC"));
    }
}
