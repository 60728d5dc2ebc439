package dev.jvswitch.ofproto.tnl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the tunnel hooks count, for {@code coverage/show}.
 *
 * <p><b>Thread-safety:</b> {@link LongAdder}s, added to by every translating thread.
 */
final class TunnelCounters {
    final LongAdder pushes = new LongAdder();
    final LongAdder pops = new LongAdder();
    final LongAdder routeMisses = new LongAdder();
    final LongAdder neighbourMisses = new LongAdder();
    final LongAdder requestsSent = new LongAdder();
    final LongAdder repliesSent = new LongAdder();
    final LongAdder snooped = new LongAdder();
    final LongAdder receiveMisses = new LongAdder();
    final LongAdder criticalOptionDrops = new LongAdder();

    Map<String, Long> snapshot() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("tnl_push_xlate", pushes.sum());
        c.put("tnl_pop_xlate", pops.sum());
        c.put("tnl_route_miss", routeMisses.sum());
        c.put("tnl_neigh_miss", neighbourMisses.sum());
        c.put("tnl_neigh_request_sent", requestsSent.sum());
        c.put("tnl_neigh_reply_sent", repliesSent.sum());
        c.put("tnl_neigh_snooped", snooped.sum());
        c.put("tnl_receive_port_not_found", receiveMisses.sum());
        c.put("tnl_geneve_critical_option_drop", criticalOptionDrops.sum());
        return c;
    }
}
