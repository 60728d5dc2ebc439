package dev.jvswitch.ofproto.tnl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.jvswitch.pmd.tunnel.IpAddress;

/**
 * The neighbour cache's word-addressed lookups (the index translation uses) agree with its map
 * through every change: set, a new MAC, confirmation, expiry and flush; confirmation of a known
 * MAC changes nothing else, and of an expired entry ends the resolution pending for it. A
 * resolution recorded by a revalidator is asked for at the next tick; one that gives up has the
 * megaflows translated again.
 */
class NeighbourCacheTest {
    private static final long T0 = 1_000_000_000L;
    private final AtomicInteger changes = new AtomicInteger();
    private final NeighbourCache cache = new NeighbourCache(changes::incrementAndGet);

    @Test
    void wordLookupsFollowEveryChange() {
        IpAddress v4 = IpAddress.parse("192.0.2.2");
        IpAddress v6 = IpAddress.parse("2001:db8::2");
        assertThat(cache.lookup("br-phy", v4.hi(), v4.lo(), T0)).isEqualTo(-1);
        cache.set("br-phy", v4, 0xaa, T0);
        cache.set("br-phy", v6, 0xbb, T0);
        for (int i = 0; i < 40; i++) {
            cache.set("br-x", IpAddress.ofIpv4(0x0a000000 + i), 0x100 + i, T0);
        }
        assertThat(cache.lookup("br-phy", 0, IpAddress.mappedLo(0xc0000202), T0)).isEqualTo(0xaa);
        assertThat(cache.lookup("br-phy", v6.hi(), v6.lo(), T0)).isEqualTo(0xbb);
        assertThat(cache.lookup("br-other", v4.hi(), v4.lo(), T0)).isEqualTo(-1);
        for (int i = 0; i < 40; i++) {
            assertThat(cache.lookup("br-x", 0, IpAddress.mappedLo(0x0a000000 + i), T0)).isEqualTo(0x100 + i);
        }

        int before = changes.get();
        cache.confirm("br-phy", v4.hi(), v4.lo(), 0xaa, T0 + 5);
        assertThat(changes.get()).as("the same MAC again changes nothing").isEqualTo(before);
        cache.confirm("br-phy", v4.hi(), v4.lo(), 0xcc, T0 + 5);
        assertThat(changes.get()).isEqualTo(before + 1);
        assertThat(cache.lookup("br-phy", v4, T0 + 5)).isEqualTo(0xcc);

        long late = T0 + 5 + NeighbourCache.AGING_NS;
        assertThat(cache.lookup("br-phy", v4.hi(), v4.lo(), late)).as("expired").isEqualTo(-1);
        cache.onTick(late, (b, ip) -> null);
        assertThat(cache.entries(late)).isEmpty();
        cache.confirm("br-phy", v4.hi(), v4.lo(), 0xcc, late);
        assertThat(cache.lookup("br-phy", v4.hi(), v4.lo(), late)).isEqualTo(0xcc);

        cache.flush();
        assertThat(cache.lookup("br-phy", v4.hi(), v4.lo(), late)).isEqualTo(-1);
    }

    @Test
    void confirmingAnExpiredEntryEndsItsPendingResolution() {
        IpAddress ip = IpAddress.parse("192.0.2.2");
        cache.set("br-phy", ip, 0xaa, T0);
        long late = T0 + NeighbourCache.AGING_NS;
        assertThat(cache.lookup("br-phy", ip, late)).isEqualTo(-1);
        NeighbourCache.Probe probe = new NeighbourCache.Probe("br-phy", ip, IpAddress.parse("192.0.2.1"), 0x1);
        assertThat(cache.requestDue(probe, late)).isTrue();
        assertThat(cache.pendingCount()).isEqualTo(1);
        cache.confirm("br-phy", ip.hi(), ip.lo(), 0xaa, late);
        assertThat(cache.pendingCount()).isZero();
        assertThat(cache.lookup("br-phy", ip, late)).isEqualTo(0xaa);
    }

    @Test
    void aResolutionARevalidatorWantsIsAskedForAtTheNextTick() {
        IpAddress ip = IpAddress.parse("192.0.2.2");
        NeighbourCache.Probe probe = new NeighbourCache.Probe("br-phy", ip, IpAddress.parse("192.0.2.1"), 0x1);
        cache.want(probe);
        cache.want(probe);
        assertThat(cache.pendingCount()).isEqualTo(1);
        // The clock of a fresh host may be under RETRY_NS: the first request does not wait for it.
        assertThat(cache.onTick(1, (b, a) -> null)).containsExactly(probe);
        assertThat(cache.onTick(2, (b, a) -> null)).isEmpty();
        assertThat(cache.onTick(1 + NeighbourCache.RETRY_NS, (b, a) -> null)).containsExactly(probe);
        assertThat(cache.requestDue(probe, 2 + NeighbourCache.RETRY_NS)).as("one request a second").isFalse();
    }

    @Test
    void aResolutionThatGivesUpHasTheFlowsTranslatedAgain() {
        IpAddress ip = IpAddress.parse("192.0.2.2");
        NeighbourCache.Probe probe = new NeighbourCache.Probe("br-phy", ip, IpAddress.parse("192.0.2.1"), 0x1);
        assertThat(cache.requestDue(probe, T0)).isTrue();
        long now = T0;
        int sent = 1;
        for (int i = 0; i < 3 * NeighbourCache.MAX_RETRIES && cache.pendingCount() > 0; i++) {
            assertThat(changes.get()).as("no change while the resolution goes on").isZero();
            now += NeighbourCache.RETRY_NS;
            sent += cache.onTick(now, (b, a) -> null).size();
        }
        assertThat(cache.pendingCount()).isZero();
        assertThat(sent).isEqualTo(NeighbourCache.MAX_RETRIES + 1);
        assertThat(changes.get()).as("giving up has the megaflows translated again").isEqualTo(1);
        assertThat(cache.onTick(now + NeighbourCache.RETRY_NS, (b, a) -> null)).isEmpty();
        assertThat(changes.get()).isEqualTo(1);
    }
}
