package dev.jvswitch.afpacket.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.sh.Sh;

/**
 * A TAP port's life: the device it creates (name, address, administratively down as OVS leaves
 * it), its link following the device's state, what it does with frames while down, and the
 * device going away with the port. No frame reaches a network stack here: the device stays down
 * whenever the port could send (traffic through TAP ports is tested where the switch runs in a
 * namespace of its own).
 */
class TapNetdevTest {
    private MbufPool pool;
    private final String ifname = "jvt" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));

    @BeforeEach
    void setUp() {
        pool = MbufPool.create(MbufPoolConfig.of("tap-test", 64));
    }

    @AfterEach
    void tearDown() {
        Sh.tryRun("ip", "link", "del", ifname);
        pool.checkNoLeaks();
        pool.close();
    }

    private static boolean available() {
        return Sh.isRoot() && Sh.onPath("ip") && java.nio.file.Files.exists(java.nio.file.Path.of("/dev/net/tun"));
    }

    @Test
    void typeIsRegisteredAndOptionsAreChecked() {
        assertThat(Netdevs.providers()).containsKey("tap");
        assertThat(Netdevs.validate(new NetdevConfig("br0", "tap", Map.of("mac", "01:00:00:00:00:01"), pool)))
                .containsExactly("port br0: option 'mac' must be a unicast MAC like 02:00:00:00:00:01, got"
                        + " '01:00:00:00:00:01'");
        assertThat(Netdevs.validate(new NetdevConfig("br0", "tap", Map.of("ifname", "a-name-far-too-long"), pool)))
                .singleElement().asString().contains("option 'ifname' must be 1..15 bytes");
        assertThat(Netdevs.validate(new NetdevConfig("br0", "tap", Map.of("colour", "red"), pool)))
                .singleElement().asString().contains("unknown option 'colour'");
        assertThat(Netdevs.validate(new NetdevConfig("br0", "tap", Map.of(), pool))).isEmpty();
    }

    @Test
    void createsTheDeviceFollowsItsStateAndRemovesIt() throws Exception {
        Needs.that(available(), "root, ip and /dev/net/tun");
        Netdev n = Netdevs.open(new NetdevConfig("br0", "tap", Map.of("ifname", ifname, "mac", "02:00:5e:00:53:07"),
                pool));
        MbufCache cache = pool.newCache();
        try {
            assertThat(Sh.run("ip", "-o", "link", "show", ifname)).contains("02:00:5e:00:53:07").doesNotContain(",UP");
            assertThat(n.macAddress()).isEqualTo(0x02005e005307L);
            assertThat(((TapNetdev) n).ifindex()).isPositive();
            assertThat(n.mtu()).isEqualTo(1500);
            assertThat(n.linkUp()).as("down, as OVS leaves a new internal port").isFalse();

            // Down: what is sent is dropped and counted; nothing is received.
            PacketBatch batch = new PacketBatch();
            Mbuf m = cache.get();
            m.setLength(60);
            batch.add(m);
            assertThat(n.txq(0).send(batch, cache)).isZero();
            assertThat(batch.isEmpty()).isTrue();
            NetdevStats s = new NetdevStats();
            n.readStats(s);
            assertThat(s.txDropped).isEqualTo(1);
            assertThat(n.rxq(0).recv(batch, cache)).isZero();

            Sh.run("ip", "link", "set", ifname, "mtu", "1400");
            Sh.run("ip", "link", "set", ifname, "up");
            n.refresh();
            assertThat(n.linkUp()).isTrue();
            assertThat(n.mtu()).isEqualTo(1400);
            Sh.run("ip", "link", "set", ifname, "down");
            n.refresh();
            assertThat(n.linkUp()).isFalse();
        } finally {
            cache.flush();
            n.close();
        }
        assertThat(Sh.tryRun("ip", "link", "show", ifname).exit()).as("the device goes with the port").isNotZero();
    }

    @Test
    void aDeviceOfAnotherKindIsReportedByName() {
        Needs.that(available(), "root, ip and /dev/net/tun");
        Sh.run("ip", "link", "add", ifname, "type", "veth", "peer", "name", ifname + "p");
        assertThatThrownBy(() -> Netdevs.open(new NetdevConfig("vif0", "tap", Map.of("ifname", ifname), pool)))
                .isInstanceOf(NetdevException.class).hasMessageContaining("port vif0: ioctl(TUNSETIFF) on interface "
                        + ifname + " failed");
    }
}
