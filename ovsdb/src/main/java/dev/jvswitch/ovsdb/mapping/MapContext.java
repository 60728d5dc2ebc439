package dev.jvswitch.ovsdb.mapping;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.jvswitch.config.EndpointSpec;

/**
 * What mapping needs beyond the rows: where the database is (for messages), the run directory
 * (bridges' management sockets), the OpenFlow port numbers interfaces had (so a number stays with
 * its interface across changes and restarts, as in OVS), and the settings fixed while the
 * switch runs.
 *
 * @param source        the database target, as messages name it ({@code unix:/run/...})
 * @param rundir        where {@code BRIDGE.mgmt} listens
 * @param knownOfports  interface name to the OpenFlow port it had (applied before, or
 *                      {@code Interface.ofport} read at connect)
 * @param deviceExists  whether a Linux network device of that name exists (system interfaces)
 * @param pinned        the running switch's restart-only settings, or null before it starts
 * @param hostEndpoint  the tunnel endpoint a bridge's own device gives, by the device's name:
 *                      its first IPv4 and first global IPv6 address and its MAC, as the host
 *                      holds them ({@code ip addr add 192.0.2.1/24 dev br-phy}); null when it
 *                      has none (or does not exist yet)
 */
public record MapContext(String source, String rundir, Map<String, Integer> knownOfports,
        Predicate<String> deviceExists, Pinned pinned, Function<String, EndpointSpec> hostEndpoint) {
    public MapContext {
        knownOfports = Map.copyOf(knownOfports);
    }

    /** Without host devices' addresses (no bridge has a tunnel endpoint). */
    public MapContext(String source, String rundir, Map<String, Integer> knownOfports,
            Predicate<String> deviceExists, Pinned pinned) {
        this(source, rundir, knownOfports, deviceExists, pinned, name -> null);
    }

    /**
     * Settings that cannot change while the switch runs: a database change to them is reported
     * and waits for a restart, the rest applies.
     *
     * @param pmdCpus            {@code pmd-cpu-mask} as CPUs
     * @param revalidatorThreads {@code n-revalidator-threads}
     */
    public record Pinned(int[] pmdCpus, int revalidatorThreads) {
    }

    /** Whether {@code /sys/class/net/NAME} exists. */
    public static boolean linuxDeviceExists(String name) {
        return !name.contains("/") && java.nio.file.Files.exists(java.nio.file.Path.of("/sys/class/net", name));
    }
}
