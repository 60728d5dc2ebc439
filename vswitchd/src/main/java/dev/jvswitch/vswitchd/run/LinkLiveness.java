package dev.jvswitch.vswitchd.run;

import java.util.Map;

import org.agrona.collections.IntHashSet;

import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.xlate.PortLiveness;
import dev.jvswitch.pmd.netdev.Netdev;

/**
 * Port liveness as translation sees it (bond members, fast-failover groups): a port is live unless
 * its device's link is down. The switch recomputes it from the netdevs' link state at every port
 * refresh and after a reload changes ports, and has the megaflows revalidated when it changed.
 *
 * <p><b>Thread-safety:</b> {@link #update} runs on the control thread and publishes a new set
 * with a volatile store; {@link #isLive} (PMD threads, translating) reads the set it finds, which
 * is never written again.
 */
final class LinkLiveness implements PortLiveness {
    private volatile IntHashSet downDpPorts = new IntHashSet();

    @Override
    public boolean isLive(OfPort port) {
        return !port.hasDpPort() || !downDpPorts.contains(port.dpPort());
    }

    /** Takes the link state of {@code ports} (by datapath number); whether any port's liveness changed. */
    boolean update(Map<Integer, Netdev> ports) {
        IntHashSet down = new IntHashSet();
        for (Map.Entry<Integer, Netdev> e : ports.entrySet()) {
            if (!e.getValue().linkUp()) {
                down.add(e.getKey());
            }
        }
        if (down.equals(downDpPorts)) {
            return false;
        }
        downDpPorts = down;
        return true;
    }
}
