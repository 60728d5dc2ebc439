package dev.jvswitch.vswitchd.vlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;

/** vlog/set's OVS word forms on the test JVM's Logback (levels put back after each test). */
class VlogTest {
    private final Vlog vlog = Vlog.current();

    @AfterEach
    void restore() {
        vlog.set("any:info");
    }

    @Test
    void setsOneModuleAndOnlyItsLoggers() {
        assertThat(vlog.set("dpif_netdev:dbg")).isEmpty();
        assertThat(vlog.level(VlogModule.DPIF_NETDEV)).isEqualTo(Level.DEBUG);
        assertThat(LoggerFactory.getLogger("dev.jvswitch.pmd.PmdAgent").isDebugEnabled()).isTrue();
        // A child package that belongs to another module keeps that module's level.
        assertThat(LoggerFactory.getLogger("dev.jvswitch.pmd.tunnel.UdpTunnel").isDebugEnabled()).isFalse();
        assertThat(vlog.level(VlogModule.OFPROTO_DPIF_UPCALL)).isEqualTo(Level.INFO);
        assertThat(vlog.list()).containsPattern("dpif_netdev +DBG +OFF +OFF")
                .containsPattern("ofproto_dpif_upcall +INFO +OFF +OFF");
    }

    @Test
    void acceptsOvsWordsInAnyOrderAndDefaultsToDbg() {
        vlog.set("warn:ofproto_dpif_xlate");
        assertThat(vlog.level(VlogModule.OFPROTO_DPIF_XLATE)).isEqualTo(Level.WARN);
        vlog.set("ofproto_dpif_xlate:console:err");
        assertThat(vlog.level(VlogModule.OFPROTO_DPIF_XLATE)).isEqualTo(Level.ERROR);
        vlog.set("bridge");
        assertThat(vlog.level(VlogModule.BRIDGE)).isEqualTo(Level.DEBUG);
        vlog.set("ANY:ANY:off");
        for (VlogModule m : VlogModule.values()) {
            assertThat(vlog.level(m)).isEqualTo(Level.OFF);
        }
        vlog.set("info");
        assertThat(vlog.level(VlogModule.VSWITCHD)).isEqualTo(Level.INFO);
    }

    @Test
    void anotherDestinationChangesNothingAndSaysSo() {
        assertThat(vlog.set("dpif_netdev:file:dbg")).contains("logs to its console only");
        assertThat(vlog.level(VlogModule.DPIF_NETDEV)).isEqualTo(Level.INFO);
    }

    @Test
    void refusesWhatItDoesNotKnowNamingTheWord() {
        assertThatThrownBy(() -> vlog.set("dpif_netdevv:dbg")).hasMessageContaining("'dpif_netdevv'");
        assertThatThrownBy(() -> vlog.set("dbg:info")).hasMessageContaining("more than one level");
        assertThatThrownBy(() -> vlog.set("PATTERN:console:%m")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> vlog.rateLimit(List.of("nope"), false)).hasMessageContaining("'nope'");
    }

    @Test
    void reopenWithoutAFileFails() {
        assertThatThrownBy(vlog::reopen).hasMessageContaining("no log file");
    }
}
