package dev.jvswitch.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.jvswitch.conntrack.Conntrack;
import dev.jvswitch.conntrack.CtConfig;
import dev.jvswitch.conntrack.CtTimeouts;
import dev.jvswitch.conntrack.Ipf;

/**
 * The {@code conntrack} section: the defaults of the connection tracker that {@code jvsctl
 * dpctl/ct-*} commands change while the switch runs. A reload that changes the section applies it
 * whole (what a command changed since is replaced); one that leaves it alone keeps what commands
 * set.
 *
 * @param maxConns      {@code ct-maxconns}: most connections in the table ({@code dpctl/ct-set-maxconns})
 * @param tcpSeqChk     {@code tcp_seq_chk}: TCP sequence and window checks ({@code dpctl/ct-enable-tcp-seq-chk})
 * @param defaultLimit  {@code default-limit}: limit of zones without one of their own; 0 unlimited
 *                      ({@code dpctl/ct-set-limits default=N})
 * @param zoneLimits    {@code zones.N.limit}: zone to its limit ({@code zone=N,limit=N})
 * @param defaultPolicy {@code timeout-policy}: classes of the default timeout policy that differ
 *                      from OVS's defaults, in seconds, by OVS's key names ({@code udp_first}, ...)
 * @param zonePolicies  {@code zones.N.timeout-policy}: zone to the classes its policy sets (OVS's
 *                      {@code CT_Zone} {@code timeout_policy}); the rest follow the default policy
 * @param ipf           {@code ipf}: fragment reassembly
 */
public record ConntrackSettings(int maxConns, boolean tcpSeqChk, int defaultLimit, Map<Integer, Integer> zoneLimits,
        Map<CtTimeouts, Integer> defaultPolicy, Map<Integer, Map<CtTimeouts, Integer>> zonePolicies, IpfSettings ipf) {

    /**
     * Fragment reassembly ({@code dpctl/ipf-set-*}).
     *
     * @param enabledV4 {@code enabled-v4} ({@code dpctl/ipf-set-enabled v4})
     * @param enabledV6 {@code enabled-v6}
     * @param minFragV4 {@code min-frag-v4}: smallest IPv4 fragment but the last ({@code ipf-set-min-frag v4 N})
     * @param minFragV6 {@code min-frag-v6}
     * @param maxNfrags {@code max-nfrags}: most fragments held ({@code ipf-set-max-nfrags N})
     */
    public record IpfSettings(boolean enabledV4, boolean enabledV6, int minFragV4, int minFragV6, int maxNfrags) {
        public static final IpfSettings DEFAULTS = new IpfSettings(true, true, Ipf.DEFAULT_MIN_V4, Ipf.DEFAULT_MIN_V6,
                Ipf.DEFAULT_MAX_FRAGS);

        void applyTo(Ipf ipf) {
            ipf.enabled(false, enabledV4);
            ipf.enabled(true, enabledV6);
            ipf.minFragSize(false, minFragV4);
            ipf.minFragSize(true, minFragV6);
            ipf.maxFrags(maxNfrags);
        }
    }

    /** The tracker's own defaults: what a file without a {@code conntrack} section means. */
    public static final ConntrackSettings DEFAULTS = new ConntrackSettings(CtConfig.DEFAULT_MAX_CONNS, true, 0,
            Map.of(), Map.of(), Map.of(), IpfSettings.DEFAULTS);

    public ConntrackSettings {
        zoneLimits = Map.copyOf(zoneLimits);
        defaultPolicy = Map.copyOf(defaultPolicy);
        Map<Integer, Map<CtTimeouts, Integer>> copy = new TreeMap<>();
        zonePolicies.forEach((z, p) -> copy.put(z, Map.copyOf(p)));
        zonePolicies = Map.copyOf(copy);
    }

    /**
     * Makes {@code ct} run by these settings, given the ones it ran by ({@code before}, null at
     * start): zone limits and policies {@code before} had and these do not are removed.
     */
    public void applyTo(Conntrack ct, ConntrackSettings before) {
        CtConfig c = ct.config();
        c.maxConns(maxConns);
        c.tcpSeqChk(tcpSeqChk);
        ct.setLimit(-1, defaultLimit);
        Set<Integer> oldLimits = before == null ? Set.of() : before.zoneLimits.keySet();
        for (int z : oldLimits) {
            if (!zoneLimits.containsKey(z)) {
                ct.deleteLimit(z);
            }
        }
        zoneLimits.forEach(ct::setLimit);
        c.resetDefaultPolicy();
        defaultPolicy.forEach(c::timeoutSeconds);
        Set<Integer> oldPolicies = before == null ? Set.of() : before.zonePolicies.keySet();
        for (int z : oldPolicies) {
            if (!zonePolicies.containsKey(z)) {
                c.zonePolicy(z, Map.of());
            }
        }
        zonePolicies.forEach(c::zonePolicy);
        ipf.applyTo(ct.ipf());
    }
}
