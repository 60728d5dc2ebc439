package dev.jvswitch.config;

import java.util.BitSet;
import java.util.Map;
import java.util.Set;

import dev.jvswitch.pmd.netdev.Netdevs;

/**
 * What a producer validates against and fills defaults from, beyond the config itself: the CPUs
 * this process may use, the port types on the class path, the OpenFlow side's syntax checks and
 * the OpenFlow side's defaults. The last two come from the daemon, which can see ofproto.
 *
 * @param allowedCpus     CPUs {@code pmd-cpu-mask} may name
 * @param portTypes       {@code NetdevProvider} types
 * @param checker         flow and group syntax, VLAN support
 * @param ofprotoDefaults defaults of the keys ofproto consumes
 */
public record ConfigEnvironment(BitSet allowedCpus, Set<String> portTypes, FlowChecker checker,
        OfprotoDefaults ofprotoDefaults) {
    public ConfigEnvironment {
        allowedCpus = (BitSet) allowedCpus.clone();
        portTypes = Set.copyOf(portTypes);
    }

    /** This machine and class path, with the OpenFlow side's {@code checker} and {@code defaults}. */
    public static ConfigEnvironment current(FlowChecker checker, OfprotoDefaults defaults) {
        return new ConfigEnvironment(CpuSet.allowed(), Netdevs.providers().keySet(), checker, defaults);
    }

    @Override
    public BitSet allowedCpus() {
        return (BitSet) allowedCpus.clone();
    }

    /**
     * Null if a port of {@code type} accepts {@code options}, else a one-line message; the
     * loader asks this for every port, for {@code --check} and a real start alike.
     *
     * <p>PORT-OPTIONS-SPI: for now this accepts everything, and a port type still refuses bad
     * options only when it opens the port (a start fails with exit 1, a reload is refused). When
     * pmd-core's {@code NetdevProvider} gains its validation method (validate without opening),
     * call it here through {@code Netdevs}: this is the single call site.
     */
    public String checkPortOptions(String type, Map<String, String> options) {
        return null;
    }
}
