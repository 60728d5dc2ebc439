package dev.jvswitch.pmd.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-PMD counters: one slot per counter and per drop reason, and the names users see. */
class PmdStatsTest {
    private final int bytes = PmdStats.valuesBufferBytes(1);
    private final CountersManager manager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(bytes * 2 * 16)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(bytes)));
    private final PmdStats stats = new PmdStats(manager, 0);

    @AfterEach
    void close() {
        stats.close();
    }

    @Test
    void showOrderAndNamesAreTheOnesUsersKnow() {
        List<String> names = new ArrayList<>();
        stats.forEach(true, (name, value) -> names.add(name));
        // The keys of pmd-stats-show's JSON and (with "pmd_") of coverage/show, in their order.
        assertThat(names).containsExactly("rx_packets", "recirculations", "emc_hits", "smc_hits", "megaflow_hits",
                "subtable_lookups", "upcall_ok", "upcall_failed", "lost", "flow_limit_skips", "tx_packets",
                "tx_batches", "tx_dropped", "drop_action", "drop_end_of_actions", "drop_no_headroom",
                "drop_recirc_depth", "drop_recirc_unknown", "drop_no_mbuf", "drop_tunnel", "drop_no_port",
                "drop_malformed", "drop_tunnel_mtu", "drop_tunnel_malformed", "drop_tunnel_bad_csum",
                "drop_tunnel_bad_header", "drop_tunnel_no_route", "drop_tunnel_neigh_miss", "drop_tunnel_fragment",
                "drop_tunnel_no_port", "drop_local_no_stack", "drop_meter", "idle_ns", "busy_ns", "iterations", "idle_sleeps");
        assertThat(DropReason.values()).extracting(DropReason::label).containsExactly("dropped by action",
                "freed after their last action", "dropped: no headroom for a pushed header",
                "dropped: recirculation too deep", "dropped: unknown recirc_id", "dropped: no mbuf for a copy",
                "dropped: tunnel push/pop failed", "dropped: output to a missing port",
                "dropped: malformed for action", "dropped: tunnel packet over the underlay MTU",
                "dropped: malformed tunnel packet", "dropped: tunnel packet with a bad UDP checksum",
                "dropped: invalid tunnel header", "dropped: no route to the tunnel destination",
                "dropped: tunnel next hop not resolved", "dropped: fragment for a tunnel endpoint",
                "dropped: no tunnel port for a received packet", "dropped: for the switch itself, not tunnel or ARP/ND",
                "dropped by a meter band");
    }

    @Test
    void dropsCountPerReasonAndClearKeepsTheRawValues() {
        stats.countDrop(DropReason.NO_PORT);
        stats.countDrop(DropReason.NO_PORT);
        stats.countDrop(DropReason.TUNNEL);
        stats.add(PmdCounter.TX_DROPPED, 5);
        assertThat(stats.get(DropReason.NO_PORT)).isEqualTo(2);
        assertThat(stats.get(DropReason.TUNNEL)).isEqualTo(1);
        assertThat(stats.get(DropReason.ACTION)).isZero();
        long[] drops = new long[DropReason.count()];
        stats.snapshotDrops(drops);
        assertThat(drops[DropReason.NO_PORT.id()]).isEqualTo(2);

        stats.clear();
        stats.countDrop(DropReason.NO_PORT);
        Map<String, Long> sinceClear = new LinkedHashMap<>();
        stats.forEach(true, sinceClear::put);
        Map<String, Long> raw = new LinkedHashMap<>();
        stats.forEach(false, raw::put);
        assertThat(sinceClear).containsEntry("drop_no_port", 1L).containsEntry("drop_tunnel", 0L)
                .containsEntry("tx_dropped", 0L);
        assertThat(raw).containsEntry("drop_no_port", 3L).containsEntry("drop_tunnel", 1L)
                .containsEntry("tx_dropped", 5L);
        assertThat(stats.raw(DropReason.NO_PORT)).isEqualTo(3);
        assertThat(stats.counterId(DropReason.NO_PORT)).isNotEqualTo(stats.counterId(PmdCounter.TX_DROPPED));
    }
}
