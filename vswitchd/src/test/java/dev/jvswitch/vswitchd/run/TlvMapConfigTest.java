package dev.jvswitch.vswitchd.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.ofproto.tnl.TlvMaps;
import dev.jvswitch.vswitchd.TestSwitch;
import dev.jvswitch.vswitchd.ofproto.OfprotoException;

/**
 * A bridge's {@code tlv-map} key: applied at start as {@code ofctl/add-tlv-map} would (so that the
 * bridge's flows may match what it maps), changed by a reload (what the key no longer names goes,
 * what it adds comes, mappings set at run time stay), refused with file, line and key when a
 * mapping is wrong, and named in the reload's error when it conflicts with a run-time mapping.
 */
class TlvMapConfigTest {
    private static final String OVN = "{class=0x102,type=0x80,len=4}->tun_metadata0";
    private static final String BASE = """
            datapath:
              pmd-idle: backoff
            mempool:
              mbufs: 512
            bridges:
              br0:
                tlv-map:
                  - "%s"
                flows:
                  - priority=10,tun_metadata0=0x10002,actions=output:1
                ports:
                  a: {type: null, ofport: 1}
            control:
              socket: ctl.sock
            """;

    @TempDir
    Path dir;
    private TestSwitch ts;

    @BeforeEach
    void setUp() throws Exception {
        ts = TestSwitch.start(dir, BASE.formatted(OVN), false);
    }

    @AfterEach
    void tearDown() {
        ts.close();
    }

    private TlvMaps maps() {
        return ts.sw.ofproto().ofprotoForChannel().tunnels().tlvMaps();
    }

    private List<String> errors(String yaml) throws Exception {
        try {
            ts.load(yaml);
            throw new AssertionError("expected the config to be rejected");
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
    }

    @Test
    void theKeyIsAppliedAtStartAndReloadChangesOnlyWhatItNamed() throws Exception {
        assertThat(maps().get("br0").mappings()).containsExactly(new TlvMap.Mapping(0x102, 0x80, 4, 0));
        maps().add("br0", TlvMap.parse("{class=0xffff,type=1,len=4}->tun_metadata1"));
        // The flow on tun_metadata0 changes in the same reload: the mapping may go.
        assertThat(ts.sw.reload(ts.load(BASE.formatted("{class=0xffff,type=2,len=4}->tun_metadata2")
                .replace("tun_metadata0=0x10002", "tun_metadata2=0x10002"))))
                .contains("changed the settings of br0 (mac-table-size 2048, mac-aging-time 300, tlv-map"
                        + " [{class=0xffff,type=2,len=4}->tun_metadata2])");
        assertThat(maps().get("br0").mappings()).containsExactly(new TlvMap.Mapping(0xffff, 1, 4, 1),
                new TlvMap.Mapping(0xffff, 2, 4, 2));
        // A mapping that takes an index set at run time: the reload says so and the map stays.
        assertThatThrownBy(() -> ts.sw.reload(ts.load(BASE.formatted("{class=0xffff,type=3,len=4}->tun_metadata1")
                .replace("tun_metadata0=0x10002", "tun_metadata2=0x10002"))))
                .isInstanceOf(OfprotoException.class)
                .hasMessageContaining("bridges.br0.tlv-map: tlv mapping {class=0xffff,type=0x3,len=4}->tun_metadata1:"
                        + " tun_metadata1 is already mapped");
        assertThat(maps().get("br0").mappings()).hasSize(2);
    }

    /** A flow of the file reads a longer option's tun_metadataN whole, through the bridge's tlv-map key. */
    @Test
    void flowsReadALongerOptionWholeThroughTheKey() throws Exception {
        String yaml = BASE.formatted(OVN + "\"\n      - \"{class=0xffff,type=2,len=8}->tun_metadata2")
                .replace("tun_metadata0=0x10002", "tun_metadata2=0x1122334455667788/0xff0000000000ffff");
        ts.sw.reload(ts.load(yaml));
        TlvMap map = maps().get("br0");
        assertThat(map.slotsOf(2)).containsExactly(63, 2);
        List<String> dumped = ts.sw.ofproto().flowStats("br0").stream()
                .map(fs -> dev.jvswitch.ofproto.syntax.FlowSyntax.dumpFlow(fs, map)).toList();
        assertThat(dumped).anyMatch(l -> l.contains("priority=10,tun_metadata2=0x1100000000007788/0xff0000000000ffff "));
        assertThat(errors(yaml.replace("0x1122334455667788/0xff0000000000ffff", "0x112233445566778899")))
                .singleElement().asString().contains("out of range for tun_metadata2 (an option of 8 bytes)");
    }

    /**
     * As the OpenFlow channel and {@code ofctl/*} refuse it: a reload whose key would delete, or
     * move the bytes of, a mapping that a flow the reload keeps uses is refused with the key's
     * file and line, and changes nothing.
     */
    @Test
    void aReloadThatPullsAMappingFromUnderAFlowItKeepsIsRefusedWithItsLine() throws Exception {
        List<ConfigError> gone = reloadErrors(BASE.formatted("{class=0xffff,type=2,len=4}->tun_metadata2"));
        assertThat(gone).singleElement().asString().endsWith("/sw.yaml:7: bridges.br0.tlv-map: tun_metadata0 is used"
                + " by a flow of table 0 (a flow this reload keeps: change it in the same reload)");
        assertThat(maps().get("br0").mappings()).containsExactly(new TlvMap.Mapping(0x102, 0x80, 4, 0));
        // A longer option in use, and a mapping that would take one of its slots.
        String eight = BASE.formatted(OVN + "\"\n      - \"{class=0xffff,type=2,len=8}->tun_metadata2")
                .replace("tun_metadata0=0x10002", "tun_metadata2=0x1122334455667788");
        ts.sw.reload(ts.load(eight));
        int[] slots = maps().get("br0").slotsOf(2);
        String taker = eight.replace("tun_metadata2\"", "tun_metadata2\"\n      - \"{class=0xffff,type=3,len=4}"
                + "->tun_metadata" + slots[0] + "\"");
        assertThat(reloadErrors(taker)).singleElement().asString().contains("/sw.yaml:7: bridges.br0.tlv-map: "
                + "tun_metadata2 is used by a flow of table 0 and the new mapping would move its bytes");
        assertThat(maps().get("br0").slotsOf(2)).containsExactly(slots);
        // The same mapping with the flow changed in the same reload goes in.
        ts.sw.reload(ts.load(taker.replace("tun_metadata2=0x1122334455667788", "tun_metadata0=0x10002")));
        assertThat(maps().get("br0").size()).isEqualTo(3);
    }

    private List<ConfigError> reloadErrors(String yaml) throws Exception {
        try {
            ts.sw.reload(ts.load(yaml));
            throw new AssertionError("expected the reload to be refused");
        } catch (ConfigException e) {
            return e.errors();
        }
    }

    @Test
    void aWrongMappingIsReportedWithItsLine() throws Exception {
        assertThat(errors(BASE.formatted("{class=0x102,type=0x80,len=6}->tun_metadata0"))).singleElement()
                .asString().contains("sw.yaml:8: bridges.br0.tlv-map:").contains("len must be a multiple of 4");
        assertThat(errors(BASE.formatted("{class=0x102,type=0x80}->tun_metadata0"))).singleElement().asString()
                .contains("sw.yaml:8:").contains("expected {class=C,type=T,len=L}->tun_metadataN");
        String twice = BASE.formatted(OVN).replace("  - \"" + OVN + "\"", "  - \"" + OVN + "\"\n      - \""
                + OVN.replace("tun_metadata0", "tun_metadata3") + "\"");
        assertThat(errors(twice)).singleElement().asString().contains("bridges.br0.tlv-map:")
                .contains("the option is already mapped");
    }
}
