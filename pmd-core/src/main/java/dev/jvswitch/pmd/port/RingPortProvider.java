package dev.jvswitch.pmd.port;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevProvider;

/**
 * Opens {@link RingPort}s by type name {@code ring}.
 *
 * <p>Options: {@code peer} (required: the name of the other side), {@code queues} (default 1),
 * {@code size} (rx ring capacity, a power of two, default 1024), {@code mac}, {@code mtu}.
 *
 * <p><b>Pairing.</b> The first side opened waits in a JVM-wide registry under its name. Opening a
 * port whose {@code peer} names a waiting port that in turn names it as {@code peer} joins the
 * two and takes the first out of the registry; until then the first side's link is down. Both
 * sides must have the same number of queues. A waiting side that is closed leaves the registry,
 * so its name can be used again. Two waiting ports cannot share a name.
 *
 * <p><b>Thread-safety:</b> {@link #open} and {@link #forget} may be called from any thread; the
 * registry is guarded by its own monitor, which is never held while taking a pair's lock from
 * the close side, so opening and closing cannot deadlock.
 */
public final class RingPortProvider implements NetdevProvider {
    public static final String PEER = "peer";
    public static final String QUEUES = "queues";
    public static final String SIZE = "size";
    static final Set<String> OPTIONS = Set.of(PEER, QUEUES, SIZE, PortOptions.MAC, PortOptions.MTU);

    /** Sides whose peer has not been opened yet, by name. Guarded by itself. */
    private static final Map<String, RingPort> WAITING = new HashMap<>();

    /** A ring port's options, read and checked; whether the peer exists is known only at open. */
    record Options(String peerName, int queues, int size, long mac, int mtu) {
        static Options parse(NetdevConfig config) throws NetdevException {
            config.checkOptions(OPTIONS);
            String name = config.name();
            String peerName = config.requireOption(PEER).trim();
            if (peerName.equals(name)) {
                throw new NetdevException("port " + name + ": option 'peer' must name another port, not itself");
            }
            int queues = config.intOption(QUEUES, RingPorts.DEFAULT_QUEUES, 1, RingPorts.MAX_QUEUES);
            int size = config.intOption(SIZE, RingPorts.DEFAULT_SIZE, RingPorts.MIN_SIZE, RingPorts.MAX_SIZE);
            String problem = RingPorts.check(queues, size);
            if (problem != null) {
                throw new NetdevException("port " + name + ": " + problem);
            }
            return new Options(peerName, queues, size, PortOptions.mac(config), PortOptions.mtu(config));
        }
    }

    @Override
    public String type() {
        return RingPort.TYPE;
    }

    @Override
    public List<String> validate(NetdevConfig config) {
        return config.errorsOf(Options::parse);
    }

    @Override
    public Netdev open(NetdevConfig config) throws NetdevException {
        Options o = Options.parse(config);
        String name = config.name();
        String peerName = o.peerName();
        int queues = o.queues();
        int size = o.size();
        long mac = o.mac();
        int mtu = o.mtu();
        synchronized (WAITING) {
            RingPort waiting = WAITING.get(peerName);
            if (waiting != null && waiting.peerName().equals(name)) {
                if (waiting.rxqCount() != queues) {
                    throw new NetdevException("port " + name + ": option 'queues' is " + queues + " but its peer "
                            + peerName + " has " + waiting.rxqCount());
                }
                RingPort port = new RingPort(name, peerName, mac, mtu, queues, size, waiting.link());
                WAITING.remove(peerName);
                if (RingPort.join(waiting, port)) {
                    return port;
                }
                // The waiting side was closed just now; this side waits in its place.
            }
            RingPort already = WAITING.get(name);
            if (already != null) {
                throw new NetdevException("port " + name + ": a ring port of that name is already waiting for its peer "
                        + already.peerName());
            }
            RingPort port = new RingPort(name, peerName, mac, mtu, queues, size, new Object());
            WAITING.put(name, port);
            return port;
        }
    }

    /** Takes a closed side out of the registry if it was still waiting there. */
    static void forget(RingPort port) {
        synchronized (WAITING) {
            WAITING.remove(port.name(), port);
        }
    }
}
