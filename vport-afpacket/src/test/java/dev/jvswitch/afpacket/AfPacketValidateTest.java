package dev.jvswitch.afpacket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.Netdevs;

/**
 * Checking an {@code afpacket} port's options without opening it: what {@code open} refuses
 * before any system call is reported with the same message; the interface's existence is not
 * looked at.
 */
class AfPacketValidateTest {

    private static NetdevConfig config(Map<String, String> options, int txqs) {
        return new NetdevConfig("p1", AfPacketProvider.TYPE, options, null, txqs);
    }

    @Test
    void badOptionsAreReportedWithOpensMessage() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("validate-af", 64))) {
            for (Map<String, String> bad : new Map[] {
                    Map.of(),
                    Map.of("ifname", "a-name-of-16-chr"),
                    Map.of("ifname", "a/b"),
                    Map.of("ifname", "lo", "rxqs", "0"),
                    Map.of("ifname", "lo", "block-size", "5000"),
                    Map.of("ifname", "lo", "promisc", "maybe"),
                    Map.of("ifname", "lo", "rxq", "2")}) {
                var errors = Netdevs.validate(config(bad, 1));
                assertThat(errors).as("%s", bad).hasSize(1);
                assertThatThrownBy(() -> Netdevs.open(new NetdevConfig("p1", "afpacket", bad, pool)).close())
                        .hasMessage(errors.get(0));
            }
        }
        assertThat(Netdevs.validate(config(Map.of("ifname", "a/b"), 1)))
                .containsExactly("port p1: option 'ifname' is not a valid interface name: 'a/b'");
        assertThat(Netdevs.validate(config(Map.of("ifname", "lo"), 65)))
                .containsExactly("port p1: at most 64 tx queues, asked for 65");
    }

    @Test
    void theInterfaceIsNotLookedAt() {
        assertThat(Netdevs.validate(config(Map.of("ifname", "jvsnosuch0", "rxqs", "4"), 2))).isEmpty();
    }
}
