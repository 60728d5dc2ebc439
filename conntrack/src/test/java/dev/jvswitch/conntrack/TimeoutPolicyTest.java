package dev.jvswitch.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Per-zone timeout policies: a zone's policy sets the expiry of its connections, classes it
 * leaves out follow the default policy, a change applies from a connection's next packet, and
 * OVS's policy key names map to the classes as OVS's {@code tm_to_ct_dpif_tp} maps them.
 */
class TimeoutPolicyTest {
    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("ct-tp-test", 16).withCacheSize(0));
    private final Conntrack ct = new Conntrack();
    private final CtContext ctx = ct.newContext();

    @AfterEach
    void close() {
        pool.close();
    }

    private void udp(int zone, long nowMs) {
        Mbuf m = CtTestPackets.load(pool, Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1000, 53));
        try {
            ct.execute(ctx, m, zone, Conntrack.COMMIT, 0, 0, 0, 0, 0, 0, nowMs);
        } finally {
            pool.put(m);
        }
    }

    private long timeoutSeconds(int zone, long nowMs) {
        return ct.dump(zone, nowMs).get(0).timeoutSeconds();
    }

    @Test
    void aZonePolicySetsItsConnectionsExpiryAndOthersKeepTheDefault() {
        ct.config().zonePolicy(5, Map.of(CtTimeouts.OTHER_FIRST, 10));
        udp(5, 0);
        udp(6, 0);
        assertThat(timeoutSeconds(5, 0)).isEqualTo(10);
        assertThat(timeoutSeconds(6, 0)).isEqualTo(60);
        // Expired in zone 5 after 10 s, not in zone 6.
        assertThat(ct.sweep(10_001, 1 << 20)).isEqualTo(1);
        assertThat(ct.zoneConnectionCount(5)).isZero();
        assertThat(ct.zoneConnectionCount(6)).isEqualTo(1);
    }

    @Test
    void classesAZonePolicyLeavesOutFollowTheDefaultPolicy() {
        ct.config().zonePolicy(5, Map.of(CtTimeouts.TCP_ESTABLISHED, 100));
        ct.config().timeoutSeconds(CtTimeouts.OTHER_FIRST, 7);
        udp(5, 0);
        assertThat(timeoutSeconds(5, 0)).isEqualTo(7);
        assertThat(ct.config().zonePolicy(5)).containsExactly(Map.entry(CtTimeouts.TCP_ESTABLISHED, 100));
    }

    @Test
    void aChangedPolicyAppliesFromTheConnectionsNextPacket() {
        udp(5, 0);
        assertThat(timeoutSeconds(5, 0)).isEqualTo(60);
        ct.config().zonePolicy(5, Map.of(CtTimeouts.OTHER_MULTIPLE, 3));
        udp(5, 0); // second packet: OTHER_MULTIPLE
        assertThat(timeoutSeconds(5, 0)).isEqualTo(3);
        ct.config().zonePolicy(5, Map.of());
        assertThat(ct.config().zonePolicy(5)).isEmpty();
    }

    @Test
    void ovsPolicyKeysNameTheClasses() {
        assertThat(CtTimeouts.byKey("tcp_syn_sent")).isEqualTo(CtTimeouts.TCP_FIRST_PACKET);
        assertThat(CtTimeouts.byKey("tcp_time_wait")).isEqualTo(CtTimeouts.TCP_FIN_WAIT);
        assertThat(CtTimeouts.byKey("udp_single")).isEqualTo(CtTimeouts.OTHER_MULTIPLE);
        assertThat(CtTimeouts.byKey("udp_multiple")).isEqualTo(CtTimeouts.OTHER_BIDIR);
        assertThat(CtTimeouts.byKey("tcp_unack")).isNull();
    }

    @Test
    void badValuesAreRefusedWithTheKeyName() {
        assertThatThrownBy(() -> ct.config().zonePolicy(1, Map.of(CtTimeouts.ICMP_REPLY, 0)))
                .hasMessageContaining("icmp_reply");
        assertThatThrownBy(() -> ct.config().zonePolicy(70000, Map.of(CtTimeouts.ICMP_REPLY, 1)))
                .hasMessageContaining("zone");
    }

    /** OVS's id pool: the lowest free id from 1, kept while the zone has a policy, freed with it. */
    @Test
    void zonePoliciesGetTheLowestFreeId() {
        CtConfig c = new CtConfig();
        assertThat(c.timeoutPolicyId(5)).isEqualTo(-1);
        c.zonePolicy(5, Map.of(CtTimeouts.OTHER_FIRST, 1));
        c.zonePolicy(7, Map.of(CtTimeouts.ICMP_FIRST, 2));
        assertThat(c.timeoutPolicyId(5)).isEqualTo(1);
        assertThat(c.timeoutPolicyId(7)).isEqualTo(2);
        c.zonePolicy(5, Map.of(CtTimeouts.OTHER_FIRST, 3));
        assertThat(c.timeoutPolicyId(5)).as("a changed policy keeps its id").isEqualTo(1);
        c.zonePolicy(5, Map.of());
        assertThat(c.timeoutPolicyId(5)).isEqualTo(-1);
        c.zonePolicy(9, Map.of(CtTimeouts.OTHER_FIRST, 1));
        assertThat(c.timeoutPolicyId(9)).isEqualTo(1);
    }
}
