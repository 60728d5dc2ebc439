package dev.jvswitch.ofproto.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class BridgeConfigTest {
    @Test
    void portsAreFoundByEveryKey() {
        BridgeConfig br = new BridgeConfig("br0", List.of(OfPort.access(2, 11, "p2", 10),
                OfPort.trunk(1, 10, "p1"), OfPort.patch(3, "patch-br1", "patch-br0")));
        assertThat(br.ports()).extracting(OfPort::ofPort).containsExactly(1, 2, 3);
        assertThat(br.byDpPort(11).name()).isEqualTo("p2");
        assertThat(br.byOfPort(3).isPatch()).isTrue();
        assertThat(br.byName("p1").vlanMode()).isEqualTo(VlanMode.TRUNK);
        assertThat(br.byName("p2").vlanMode()).isEqualTo(VlanMode.ACCESS);
        assertThat(br.byName("p2").carriesVlan(10)).isTrue();
        assertThat(br.byName("p2").carriesVlan(11)).isFalse();
        assertThat(br.macTableSize()).isEqualTo(2048);
    }

    @Test
    void trunksRestrictVlans() {
        OfPort p = new OfPort(1, 1, "t", OfPort.NO_TAG, Set.of(20, 10), null);
        assertThat(p.trunks()).containsExactly(10, 20);
        assertThat(p.carriesVlan(10)).isTrue();
        assertThat(p.carriesVlan(30)).isFalse();
    }

    @Test
    void duplicatesAreNamed() {
        assertThatThrownBy(() -> new BridgeConfig("br0", List.of(OfPort.trunk(1, 10, "a"), OfPort.trunk(1, 11, "b"))))
                .hasMessage("bridge br0: two ports have OpenFlow number 1");
        assertThatThrownBy(() -> new BridgeConfig("br0", List.of(OfPort.trunk(1, 10, "a"), OfPort.trunk(2, 10, "b"))))
                .hasMessage("bridge br0: two ports use datapath port 10");
        assertThatThrownBy(() -> new OfPort(1, 1, "x", 5, Set.of(1), null))
                .hasMessage("port x: tag and trunks exclude each other");
    }
}
