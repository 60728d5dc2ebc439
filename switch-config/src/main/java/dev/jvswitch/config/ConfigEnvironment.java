package dev.jvswitch.config;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevProvider;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.pmd.tunnel.TunnelConfig;

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
     * What is wrong with the options of port {@code name} of type {@code type}, as the port type
     * itself judges them without opening anything ({@code NetdevProvider#validate}), one line
     * each; empty when they are fine. The loader asks this for every port, so {@code --check},
     * a start and a reload reject the same options. A type listed in {@link #portTypes} whose
     * provider is not on this class path (a test environment) is not checked here.
     *
     * @param txqs tx queues the datapath will ask of the port (one per PMD)
     */
    public List<String> checkPortOptions(String name, String type, Map<String, String> options, int txqs) {
        if (!Netdevs.providers().containsKey(type)) {
            return List.of();
        }
        return Netdevs.validate(new NetdevConfig(name, type, options, null, Math.max(1, txqs)));
    }

    /**
     * The tunnel options of port {@code name}, as its type reads them, or null when the type is
     * not a tunnel, not on this class path, or its options are wrong (reported by
     * {@link #checkPortOptions}).
     */
    public TunnelConfig tunnelConfig(String name, String type, Map<String, String> options) {
        NetdevProvider p = Netdevs.providers().get(type);
        if (p == null) {
            return null;
        }
        try {
            return p.tunnelConfig(new NetdevConfig(name, type, options, null, 1));
        } catch (NetdevException e) {
            return null;
        }
    }
}
