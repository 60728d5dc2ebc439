package dev.jvswitch.vswitchd.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.ConfigEnvironment;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.ConntrackSettings;
import dev.jvswitch.config.ControlSettings;
import dev.jvswitch.config.MempoolSettings;
import dev.jvswitch.config.RevalidatorSettings;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.yaml.YamlConfigLoader;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.revalidate.RevalidatorConfig;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.vswitchd.ofproto.OfprotoFlowChecker;

/**
 * Every default is defined once: a file that sets nothing gives each consumer exactly the
 * defaults that consumer documents (pmd-core's {@code DatapathConfig}, ofproto's
 * {@code RevalidatorConfig} and {@code BridgeConfig}, mempool's {@code MbufPoolConfig}), and the
 * shipped {@code conf/jvswitch.yaml}, which writes every default out, gives the same snapshots.
 */
class ConfigDefaultsTest {
    @TempDir
    Path dir;

    private final YamlConfigLoader loader = new YamlConfigLoader(new ConfigEnvironment(cpus(), Set.of("null", "afpacket"),
            new OfprotoFlowChecker(), OfprotoConfigs.defaults()));

    /** CPUs 0-1. */
    private static BitSet cpus() {
        BitSet s = new BitSet();
        s.set(0, 2);
        return s;
    }

    private SwitchConfig empty() throws IOException, ConfigException {
        Path p = dir.resolve("empty.yaml");
        Files.writeString(p, "");
        return loader.load(p);
    }

    @Test
    void theDatapathGetsPmdCoresDefaultsButSpinsAndRunsOnTheLastCpu() throws Exception {
        DatapathConfig d = empty().datapath();
        assertThat(d).isEqualTo(DatapathConfig.defaults().withPmdCpus(1).withIdle(DatapathConfig.Idle.BUSY));
        assertThat(d.flowLimit()).isEqualTo(DatapathConfig.DEFAULT_FLOW_LIMIT);
        assertThat(d.emcInsertInvProb()).isEqualTo(DatapathConfig.DEFAULT_EMC_INSERT_INV_PROB);
    }

    @Test
    void theRevalidatorsGetOfprotosDefaults() throws Exception {
        RevalidatorSettings r = empty().revalidators();
        assertThat(r.threads()).isEqualTo(RevalidatorSettings.defaultThreads(2)).isEqualTo(1);
        assertThat(OfprotoConfigs.revalidatorConfig(r)).isEqualTo(RevalidatorConfig.defaults().withThreads(1));
        assertThat(r.flowLimit()).isEqualTo(RevalidatorConfig.DEFAULT_FLOW_LIMIT);
    }

    @Test
    void bridgesGetOfprotosMacLearningDefaults() throws Exception {
        Path p = dir.resolve("br.yaml");
        Files.writeString(p, "bridges:\n  br0:\n    ports:\n      a: {type: null, ofport: 1}\n");
        SwitchConfig c = loader.load(p);
        assertThat(OfprotoConfigs.bridgeConfig("br0", List.of(), c.bridges().get("br0").settings()))
                .isEqualTo(new BridgeConfig("br0", List.of()));
        assertThat(c.bridgeDefaults()).isEqualTo(OfprotoConfigs.defaults().bridge());
    }

    @Test
    void thePoolAndTheSocketGetTheirs() throws Exception {
        SwitchConfig c = empty();
        assertThat(c.mempool().pool()).isEqualTo(MbufPoolConfig.of(MempoolSettings.POOL_NAME,
                MempoolSettings.DEFAULT_MBUFS));
        assertThat(c.mempool().hugepagePath()).isEqualTo(MempoolSettings.DEFAULT_HUGEPAGE_PATH);
        assertThat(c.control()).isEqualTo(new ControlSettings(ControlSettings.DEFAULT_SOCKET,
                ControlSettings.DEFAULT_LOG_LEVEL));
    }

    @Test
    void theShippedFileDocumentsTheDefaults() throws Exception {
        Path conf = Path.of(System.getProperty("user.dir")).resolve("../conf").normalize();
        SwitchConfig shipped = loader.load(conf.resolve("jvswitch.yaml"));
        SwitchConfig none = empty();
        assertThat(shipped.datapath()).isEqualTo(none.datapath());
        assertThat(shipped.revalidators()).isEqualTo(none.revalidators());
        assertThat(shipped.bridgeDefaults()).isEqualTo(none.bridgeDefaults());
        assertThat(shipped.bridges().get("br0").settings()).isEqualTo(none.bridgeDefaults());
        assertThat(shipped.mempool()).isEqualTo(none.mempool());
        assertThat(shipped.control()).isEqualTo(none.control());
        assertThat(shipped.conntrack()).isEqualTo(none.conntrack()).isEqualTo(ConntrackSettings.DEFAULTS);
        assertThat(shipped.warnings()).isEmpty();
        assertThat(loader.load(conf.resolve("demo.yaml")).warnings()).isEmpty();
    }
}
