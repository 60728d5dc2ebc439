package dev.jvswitch.config.yaml;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.jvswitch.config.ConfigKeys;
import dev.jvswitch.config.ConntrackSettings;
import dev.jvswitch.config.IntKey;
import dev.jvswitch.conntrack.CtTimeouts;

/**
 * The {@code conntrack} section of the config file:
 * <pre>
 * conntrack:
 *   ct-maxconns: 3000000      # most connections (dpctl/ct-set-maxconns)
 *   tcp_seq_chk: true         # TCP sequence checks (dpctl/ct-enable|disable-tcp-seq-chk)
 *   default-limit: 0          # limit of zones without their own; 0 unlimited
 *   timeout-policy: {udp_first: 30}  # the default timeout policy (OVS's key names, seconds)
 *   zones:
 *     5: {limit: 1000, timeout-policy: {tcp_established: 3600}}
 *   ipf: {enabled-v4: true, enabled-v6: true, min-frag-v4: 1200, min-frag-v6: 1280, max-nfrags: 1000}
 * </pre>
 * Errors name the file, line and key: an unknown policy key lists OVS's names, a zone id or value
 * out of range says the range.
 */
final class ConntrackSection {
    private static final List<String> POLICY_KEYS;
    private static final IntKey[] TIMEOUT = new IntKey[CtTimeouts.values().length];

    static {
        List<String> keys = new ArrayList<>();
        for (CtTimeouts t : CtTimeouts.values()) {
            keys.add(t.key());
            TIMEOUT[t.ordinal()] = new IntKey(t.key(), 1, CtTimeouts.MAX_SECONDS);
        }
        POLICY_KEYS = List.copyOf(keys);
    }

    private ConntrackSection() {
    }

    /** The settings of {@code top}'s {@code conntrack} section (the defaults without one). */
    static ConntrackSettings read(Section top, Map<String, Integer> lines) {
        Section s = top.section("conntrack", ConfigKeys.CONNTRACK);
        record(s, lines);
        ConntrackSettings d = ConntrackSettings.DEFAULTS;
        int maxConns = s.integer(ConfigKeys.CT_MAXCONNS, d.maxConns());
        boolean seqChk = s.bool("tcp_seq_chk", d.tcpSeqChk());
        int defaultLimit = s.integer(ConfigKeys.CT_DEFAULT_LIMIT, d.defaultLimit());
        Map<CtTimeouts, Integer> defaultPolicy = policy(s, lines);
        Map<Integer, Integer> limits = new TreeMap<>();
        Map<Integer, Map<CtTimeouts, Integer>> policies = new TreeMap<>();
        Section zones = s.section("zones");
        record(zones, lines);
        for (String key : zones.keys()) {
            Long zone = ConfigKeys.CT_ZONE_ID.parse(key, problem -> zones.errorAtKey(key, "a zone is named by its"
                    + " number: " + problem));
            Section z = zones.section(key, ConfigKeys.CT_ZONE);
            record(z, lines);
            Long limit = z.integerOrNull(ConfigKeys.CT_LIMIT);
            Map<CtTimeouts, Integer> p = policy(z, lines);
            if (zone == null) {
                continue;
            }
            if (limit != null) {
                limits.put(zone.intValue(), limit.intValue());
            }
            if (!p.isEmpty()) {
                policies.put(zone.intValue(), p);
            }
        }
        return new ConntrackSettings(maxConns, seqChk, defaultLimit, limits, defaultPolicy, policies, ipf(s, lines));
    }

    private static ConntrackSettings.IpfSettings ipf(Section s, Map<String, Integer> lines) {
        Section i = s.section("ipf", ConfigKeys.CT_IPF);
        record(i, lines);
        ConntrackSettings.IpfSettings d = ConntrackSettings.IpfSettings.DEFAULTS;
        return new ConntrackSettings.IpfSettings(i.bool("enabled-v4", d.enabledV4()), i.bool("enabled-v6",
                d.enabledV6()), i.integer(ConfigKeys.IPF_MIN_FRAG_V4, d.minFragV4()),
                i.integer(ConfigKeys.IPF_MIN_FRAG_V6, d.minFragV6()), i.integer(ConfigKeys.IPF_MAX_NFRAGS,
                d.maxNfrags()));
    }

    /** The {@code timeout-policy} of section {@code s}: class to seconds, empty without one. */
    private static Map<CtTimeouts, Integer> policy(Section s, Map<String, Integer> lines) {
        Section p = s.section("timeout-policy", POLICY_KEYS);
        record(p, lines);
        Map<CtTimeouts, Integer> out = new EnumMap<>(CtTimeouts.class);
        for (String key : p.keys()) {
            CtTimeouts t = CtTimeouts.byKey(key);
            Long v = p.integerOrNull(TIMEOUT[t.ordinal()]);
            if (v != null) {
                out.put(t, v.intValue());
            }
        }
        return out;
    }

    private static void record(Section s, Map<String, Integer> lines) {
        if (!s.path().isEmpty()) {
            lines.putIfAbsent(s.path(), s.line());
        }
        for (String k : s.keys()) {
            lines.put(s.path(k), s.keyLine(k));
        }
    }
}
