package dev.jvswitch.pmd.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.Netdevs;

/**
 * {@code NetdevProvider.validate}: the options a port would be refused for are reported without
 * opening anything, with the very message {@code open} gives; what only opening can tell (a
 * missing file or peer) is left to {@code open}.
 */
class PortValidateTest {
    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("validate", 64));

    @AfterEach
    void close() {
        pool.checkNoLeaks();
        pool.close();
    }

    private static NetdevConfig config(String type, String... kv) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            options.put(kv[i], kv[i + 1]);
        }
        return new NetdevConfig("p1", type, options, null, 2);
    }

    /** validate's one error equals open's message, for a config open refuses. */
    private void sameErrorAsOpen(NetdevConfig checked, String expected) {
        assertThat(Netdevs.validate(checked)).containsExactly(expected);
        NetdevConfig opened = new NetdevConfig(checked.name(), checked.type(), checked.options(), pool, checked.txqs());
        assertThatThrownBy(() -> Netdevs.open(opened).close()).isInstanceOf(NetdevException.class)
                .hasMessage(expected);
    }

    @Test
    void goodOptionsPassWithoutAPool() {
        assertThat(Netdevs.validate(config("null", "mac", "02:00:00:00:00:01", "mtu", "9000"))).isEmpty();
        assertThat(Netdevs.validate(config("ring", "peer", "p2", "queues", "2", "size", "256"))).isEmpty();
        assertThat(Netdevs.validate(config("pcap", "file", "/nonexistent/in.pcap", "rxqs", "2", "loop", "3")))
                .as("whether the file exists is for open to tell").isEmpty();
    }

    @Test
    void everyProviderReportsWhatOpenWouldRefuse() {
        sameErrorAsOpen(config("null", "mtu", "20"), "port p1: option 'mtu' must be within 68..65535, got 20");
        sameErrorAsOpen(config("null", "bogus", "1"),
                "port p1: unknown option 'bogus' for type null (known: mac, mtu)");
        sameErrorAsOpen(config("null", "mac", "nope"),
                "port p1: option 'mac' must be six hex bytes like 02:00:00:00:00:01, got 'nope'");
        sameErrorAsOpen(config("ring"), "port p1: option 'peer' is required for type ring");
        sameErrorAsOpen(config("ring", "peer", "p1"), "port p1: option 'peer' must name another port, not itself");
        sameErrorAsOpen(config("ring", "peer", "p2", "size", "100"),
                "port p1: option 'size' must be a power of two within 4..1048576, got 100");
        sameErrorAsOpen(config("ring", "peer", "p2", "queues", "x"),
                "port p1: option 'queues' must be an integer, got 'x'");
        sameErrorAsOpen(config("pcap", "rxqs", "65"), "port p1: option 'rxqs' must be within 1..64, got 65");
        sameErrorAsOpen(config("pcap", "loop", "-1"),
                "port p1: option 'loop' must be within 0..2147483647, got -1");
        sameErrorAsOpen(config("pcap", "out", " "), "port p1: option 'out' must name a file");
        sameErrorAsOpen(config("vxlan"), "port p1: unknown port type 'vxlan' (known: null, pcap, ring)");
    }

    @Test
    void whatOnlyOpeningCanTellIsLeftToOpen() throws Exception {
        NetdevConfig missing = config("pcap", "file", "/nonexistent/in.pcap");
        assertThat(Netdevs.validate(missing)).isEmpty();
        assertThatThrownBy(() -> Netdevs.open(new NetdevConfig("p1", "pcap", missing.options(), pool)))
                .hasMessageContaining("option 'file'");
        // A ring port whose peer is not open yet opens and waits for it.
        try (Netdev waiting = Netdevs.open(new NetdevConfig("p1", "ring", Map.of("peer", "p2"), pool))) {
            assertThat(waiting.linkUp()).isFalse();
        }
    }
}
