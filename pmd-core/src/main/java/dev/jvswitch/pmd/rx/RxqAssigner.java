package dev.jvswitch.pmd.rx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.DpPort;

/**
 * Decides which PMD polls which rx queue ({@code pmd-rxq-assign}).
 *
 * <ul>
 *   <li>Pinned queues ({@code pmd-rxq-affinity}) go to their PMD first.</li>
 *   <li>{@code roundrobin}: the rest in port order, queue order, one PMD after the other.</li>
 *   <li>{@code cycles}: the rest sorted by the processing time they took so far (busiest first),
 *       each to the PMD with the least time assigned yet — OVS's "cycles" greedy assignment.</li>
 * </ul>
 * A queue keeps its {@link RxqPoller} (and so its measured cycles) across reassignments.
 *
 * <p><b>Thread-safety:</b> stateless; runs on the control thread.
 */
public final class RxqAssigner {
    private RxqAssigner() {
    }

    /**
     * @param ports   the datapath's ports
     * @param pmds    number of PMDs
     * @param policy  assignment policy for unpinned queues
     * @param pins    "port:queue" to PMD index
     * @param current the pollers in use now, reused for queues that still exist
     * @return for each PMD, the pollers it should poll
     */
    public static List<List<RxqPoller>> assign(List<DpPort> ports, int pmds, DatapathConfig.RxqAssign policy,
                                               Map<String, Integer> pins, List<RxqPoller> current) {
        Map<String, RxqPoller> existing = new HashMap<>();
        for (RxqPoller p : current) {
            existing.put(key(p.port(), p.rxq().id()), p);
        }
        List<List<RxqPoller>> out = new ArrayList<>();
        long[] load = new long[pmds];
        for (int i = 0; i < pmds; i++) {
            out.add(new ArrayList<>());
        }
        List<RxqPoller> free = new ArrayList<>();
        for (DpPort port : ports) {
            for (int q = 0; q < port.netdev().rxqCount(); q++) {
                String k = key(port, q);
                RxqPoller poller = existing.get(k);
                if (poller == null || poller.port() != port) {
                    poller = new RxqPoller(port, port.netdev().rxq(q));
                }
                Integer pin = pins.get(k);
                if (pin != null && pin < pmds) {
                    out.get(pin).add(poller);
                    load[pin] += poller.busyNs();
                } else {
                    free.add(poller);
                }
            }
        }
        if (policy == DatapathConfig.RxqAssign.CYCLES) {
            free.sort(Comparator.comparingLong(RxqPoller::busyNs).reversed());
            for (RxqPoller p : free) {
                int best = 0;
                for (int i = 1; i < pmds; i++) {
                    if (load[i] < load[best]) {
                        best = i;
                    }
                }
                out.get(best).add(p);
                load[best] += Math.max(1, p.busyNs());
            }
        } else {
            int next = 0;
            for (RxqPoller p : free) {
                out.get(next).add(p);
                next = (next + 1) % pmds;
            }
        }
        return out;
    }

    private static String key(DpPort port, int q) {
        return port.portNo() + ":" + q;
    }
}
