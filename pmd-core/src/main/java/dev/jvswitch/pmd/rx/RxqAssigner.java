package dev.jvswitch.pmd.rx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.pmd.netdev.Netdev;

/**
 * Decides which PMD polls which rx queue ({@code pmd-rxq-assign}).
 *
 * <ul>
 *   <li>Pinned queues ({@code pmd-rxq-affinity}) go to their PMD first.</li>
 *   <li>{@link #roundRobin}: the rest in port order, queue order, one PMD after the other.</li>
 *   <li>{@link #byCycles}: the rest sorted by the processing time they took so far (busiest
 *       first), each to the PMD with the least time assigned yet — OVS's "cycles" greedy
 *       assignment.</li>
 * </ul>
 * A queue keeps its {@link RxqPoller} (and so its measured cycles) across reassignments while
 * its port number still names the same netdev.
 *
 * <p><b>Thread-safety:</b> stateless; runs on the control thread.
 */
public final class RxqAssigner {
    private RxqAssigner() {
    }

    /**
     * Round-robin assignment of the unpinned queues.
     *
     * @param ports   the datapath's netdevs by port number, in port order
     * @param pmds    number of PMDs
     * @param pins    "port:queue" to PMD index
     * @param current the pollers in use now, reused for queues that still exist
     * @return for each PMD, the pollers it should poll
     */
    public static List<List<RxqPoller>> roundRobin(Map<Integer, Netdev> ports, int pmds, Map<String, Integer> pins,
                                                   List<RxqPoller> current) {
        return assign(ports, pmds, false, pins, current);
    }

    /** Assignment of the unpinned queues by measured busy time; parameters as {@link #roundRobin}. */
    public static List<List<RxqPoller>> byCycles(Map<Integer, Netdev> ports, int pmds, Map<String, Integer> pins,
                                                 List<RxqPoller> current) {
        return assign(ports, pmds, true, pins, current);
    }

    private static List<List<RxqPoller>> assign(Map<Integer, Netdev> ports, int pmds, boolean byCycles,
                                                Map<String, Integer> pins, List<RxqPoller> current) {
        Map<String, RxqPoller> existing = new HashMap<>();
        for (RxqPoller p : current) {
            existing.put(key(p.portNo(), p.rxq().id()), p);
        }
        List<List<RxqPoller>> out = new ArrayList<>();
        long[] load = new long[pmds];
        for (int i = 0; i < pmds; i++) {
            out.add(new ArrayList<>());
        }
        List<RxqPoller> free = new ArrayList<>();
        for (Map.Entry<Integer, Netdev> port : ports.entrySet()) {
            int portNo = port.getKey();
            Netdev netdev = port.getValue();
            for (int q = 0; q < netdev.rxqCount(); q++) {
                String k = key(portNo, q);
                RxqPoller poller = existing.get(k);
                if (poller == null || poller.rxq() != netdev.rxq(q)) {
                    poller = new RxqPoller(portNo, netdev.rxq(q));
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
        if (byCycles) {
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

    private static String key(int portNo, int q) {
        return portNo + ":" + q;
    }
}
