package dev.jvswitch.config.yaml;

import static dev.jvswitch.config.ConfigKeys.NAME;
import static dev.jvswitch.config.ConfigKeys.NAME_RULE;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

import dev.jvswitch.config.BridgeSettings;
import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.ConfigEnvironment;
import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.ConfigKeys;
import dev.jvswitch.config.ConntrackSettings;
import dev.jvswitch.config.ControlSettings;
import dev.jvswitch.config.CpuSet;
import dev.jvswitch.config.MetricsListen;
import dev.jvswitch.config.Diagnostics;
import dev.jvswitch.config.FlowLine;
import dev.jvswitch.config.MempoolSettings;
import dev.jvswitch.config.MirrorSettings;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.config.RevalidatorSettings;
import dev.jvswitch.config.RouteSpec;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.DatapathConfig;

/**
 * The YAML producer of a {@link SwitchConfig}: reads and validates a config file before anything
 * starts — YAML syntax, unknown keys, wrong types, out-of-range values, unknown port types,
 * duplicate OpenFlow port numbers and port names, CPUs that do not exist, and flows or groups the
 * OpenFlow side cannot parse. Every error is collected and reported at once as
 * {@code FILE:LINE: KEY: message} ({@link ConfigException}); deprecated keys become warnings in
 * {@link SwitchConfig#warnings}.
 *
 * <p>The file's layout (every key is optional unless marked):
 * <pre>
 * datapath:   pmd-cpu-mask, pmd-rxq-assign, pmd-idle, emc-insert-inv-prob, smc-enable, flow-limit,
 *             max-idle, n-revalidator-threads, tx-flush-interval,
 *             mac-table-size, mac-aging-time (deprecated: every bridge's default)
 * mempool:    mbufs, mbuf-size, hugepages, hugepage-path
 * bridges:
 *   NAME:
 *     ports:
 *       NAME: type (required), ofport (required), options, tag, trunks, pmd-rxq-affinity
 *     flows:  a list of ovs-ofctl flows and "@file" references, or one "@file"
 *     groups: the same, for groups
 *     meters: the same, for meters (ovs-ofctl add-meter syntax); with this key the bridge's flows
 *             may name only these meters, and a reload replaces the meter table by it
 *     mac-table-size, mac-aging-time
 *     local-ip (ADDR/PLEN, or a list of one IPv4 and one IPv6), local-mac: a tunnel endpoint
 *     flow-tables:
 *       N (a table id, 0..254): prefixes (a list of fields, "f1,f2", or "none")
 *     controller, listen, protocols, fail-mode, datapath-id, controller-rate-limit,
 *     controller-burst-limit, inactivity-probe  (the OpenFlow channel: {@link OpenFlowKeys})
 * routes:     a list of "PREFIX/PLEN BRIDGE [GATEWAY] [src=IP]" (static routes for tunnels)
 * mirrors:
 *   NAME: port (required), direction, file or output-interface (one), snaplen, max-bytes, max-pps
 *         (packet capture: {@link MirrorSection})
 * control:    socket, log-level, max-clients, idle-timeout, log-file, metrics-listen
 * conntrack:  ct-maxconns, tcp_seq_chk, default-limit, timeout-policy, zones ({@link ConntrackSection})
 * db:         unix:PATH or tcp:IP:PORT: bridges come from that OVSDB database (the file then has
 *             no bridges)
 * </pre>
 * Key names, ranges and where each default is defined: {@link ConfigKeys}.
 *
 * <p><b>Thread-safety:</b> a loader is immutable; each {@link #load} works on its own state, and
 * checks long lists of flow lines on short-lived workers as well as its own thread
 * ({@link FlowLines}).
 */
public final class YamlConfigLoader {
    private final ConfigEnvironment env;
    private final FlowLines flowLines;

    public YamlConfigLoader(ConfigEnvironment env) {
        this.env = env;
        this.flowLines = new FlowLines(env.checker());
    }

    /** What this loader validates against (another producer, the OVSDB client, uses the same). */
    public ConfigEnvironment environment() {
        return env;
    }

    /**
     * Reads {@code file}; errors name it as given. Only a regular file of at most
     * {@value TextFile#MAX_CONFIG_BYTES} bytes of UTF-8 text is read (see {@link TextFile}).
     */
    public SwitchConfig load(Path file) throws ConfigException {
        return load(file, null);
    }

    /**
     * {@link #load(Path)}, given the config that runs ({@code baseline}, null for none): a flow or
     * group line equal to the baseline's at the same position of the same bridge is not checked
     * again, and shares the baseline's text ({@link FlowLines}).
     */
    public SwitchConfig load(Path file, SwitchConfig baseline) throws ConfigException {
        String name = file.toString();
        String text;
        try {
            text = TextFile.read(file, TextFile.MAX_CONFIG_BYTES);
        } catch (TextFile.Problem e) {
            throw single(name, Math.max(1, e.line()), "(file)", "cannot read: " + e.getMessage());
        }
        return parse(name, text, baseline);
    }

    /** Parses {@code text} as the file {@code fileName} (whose directory relative paths start from). */
    public SwitchConfig parse(String fileName, String text) throws ConfigException {
        return parse(fileName, text, null);
    }

    /** {@link #parse(String, String)} against the running {@code baseline} (or null), as {@link #load(Path, SwitchConfig)}. */
    public SwitchConfig parse(String fileName, String text, SwitchConfig baseline) throws ConfigException {
        env.checker().forget();
        try {
            return parseChecked(fileName, text, baseline);
        } catch (ConfigException | RuntimeException e) {
            env.checker().forget();
            throw e;
        }
    }

    private SwitchConfig parseChecked(String fileName, String text, SwitchConfig baseline) throws ConfigException {
        Diagnostics diag = new Diagnostics(fileName);
        Node root = compose(fileName, text);
        Map<String, Integer> lines = new HashMap<>();
        Section top = Section.of(root, "", diag, ConfigKeys.TOP);
        record(top, lines);
        Section dps = top.section("datapath", ConfigKeys.DATAPATH);
        record(dps, lines);
        DatapathConfig dp = datapath(dps);
        RevalidatorSettings revalidators = revalidators(dps, dp.flowLimit());
        BridgeSettings bridgeDefaults = bridgeSettings(dps, env.ofprotoDefaults().bridge());
        for (String key : ConfigKeys.DATAPATH_DEPRECATED) {
            if (dps.has(key)) {
                dps.warn(key, "deprecated: set it per bridge (bridges.NAME." + key + "); here it is the default"
                        + " of every bridge that does not");
            }
        }
        MempoolSettings pool = mempool(top.section("mempool", ConfigKeys.MEMPOOL), lines);
        Map<String, BridgeSpec> bridges = bridges(top.section("bridges"), dp, bridgeDefaults, diag, lines,
                baseline == null ? Map.of() : baseline.bridges());
        List<RouteSpec> routes = TunnelSection.routes(top, bridges, diag);
        TunnelSection.checkPorts(bridges, env, diag);
        List<MirrorSettings> mirrors = MirrorSection.read(top, bridges, fileName, lines);
        ControlSettings control = control(top.section("control", ConfigKeys.CONTROL), fileName, lines)
                .withDb(db(top));
        ConntrackSettings conntrack = ConntrackSection.read(top, lines);
        diag.throwIfAny();
        return new SwitchConfig(fileName, dp, revalidators, bridgeDefaults, pool, bridges, control, lines,
                diag.warnings(), routes, conntrack, mirrors);
    }

    /**
     * The control socket named by {@code file}, read leniently (other errors ignored) so that
     * {@code jvsctl --config FILE} works even while the file is being edited; the default if the
     * file or the key cannot be read.
     */
    public static String socketOf(Path file) {
        try {
            String name = file.toString();
            Diagnostics diag = new Diagnostics(name);
            Node root = compose(name, TextFile.read(file, TextFile.MAX_CONFIG_BYTES));
            Section top = Section.of(root, "", diag, null);
            Section control = top.section("control");
            String socket = control.string("socket", ControlSettings.DEFAULT_SOCKET);
            return resolveAbsolute(name, socket.trim());
        } catch (TextFile.Problem | ConfigException e) {
            return ControlSettings.DEFAULT_SOCKET;
        }
    }

    // ------------------------------------------------------------------ sections

    private DatapathConfig datapath(Section s) {
        int[] cpus = pmdCpus(s);
        String assign = s.choice("pmd-rxq-assign", lower(DatapathConfig.DEFAULT_RXQ_ASSIGN), ConfigKeys.RXQ_ASSIGN);
        String idle = s.choice("pmd-idle", lower(ConfigKeys.DEFAULT_PMD_IDLE), ConfigKeys.PMD_IDLE);
        int emc = s.integer(ConfigKeys.EMC_INSERT_INV_PROB, DatapathConfig.DEFAULT_EMC_INSERT_INV_PROB);
        boolean smc = s.bool("smc-enable", DatapathConfig.DEFAULT_SMC_ENABLE);
        int flowLimit = s.integer(ConfigKeys.FLOW_LIMIT, DatapathConfig.DEFAULT_FLOW_LIMIT);
        int txFlush = s.integer(ConfigKeys.TX_FLUSH_INTERVAL, DatapathConfig.DEFAULT_TX_FLUSH_INTERVAL_US);
        return new DatapathConfig(cpus, DatapathConfig.RxqAssign.valueOf(upper(assign)),
                DatapathConfig.Idle.valueOf(upper(idle)), emc, smc, flowLimit, txFlush);
    }

    private RevalidatorSettings revalidators(Section s, int flowLimit) {
        int maxIdle = s.integer(ConfigKeys.MAX_IDLE, env.ofprotoDefaults().maxIdleMs());
        int threads = s.integer(ConfigKeys.N_REVALIDATOR_THREADS,
                RevalidatorSettings.defaultThreads(env.allowedCpus().cardinality()));
        return new RevalidatorSettings(threads, maxIdle, flowLimit);
    }

    /** {@code mac-table-size} and {@code mac-aging-time} of section {@code s}, else {@code defaults}. */
    private static BridgeSettings bridgeSettings(Section s, BridgeSettings defaults) {
        return new BridgeSettings(s.integer(ConfigKeys.MAC_TABLE_SIZE, defaults.macTableSize()),
                s.integer(ConfigKeys.MAC_AGING_TIME, defaults.macAgingSec()));
    }

    /** {@code pmd-cpu-mask}, checked against the allowed CPUs; absent: the last allowed CPU. */
    private int[] pmdCpus(Section s) {
        BitSet allowed = env.allowedCpus();
        int[] fallback = {allowed.isEmpty() ? 0 : allowed.length() - 1};
        String text = s.text("pmd-cpu-mask", "a hex CPU mask like 0x6");
        if (text == null) {
            return fallback;
        }
        BitSet mask = CpuSet.parseMask(text);
        if (mask == null) {
            s.error("pmd-cpu-mask", "expected a hex CPU mask like 0x6 (bit N = CPU N), got '" + text + "'");
            return fallback;
        }
        if (mask.isEmpty()) {
            s.error("pmd-cpu-mask", "selects no CPU; at least one PMD is needed");
            return fallback;
        }
        BitSet missing = (BitSet) mask.clone();
        missing.andNot(allowed);
        if (!missing.isEmpty()) {
            s.error("pmd-cpu-mask", (missing.cardinality() == 1 ? "CPU " + CpuSet.format(missing) + " does not exist or is"
                    : "CPUs " + CpuSet.format(missing) + " do not exist or are")
                    + " not allowed for this process (allowed: " + CpuSet.format(allowed) + ")");
            return fallback;
        }
        return mask.stream().toArray();
    }

    private static MempoolSettings mempool(Section s, Map<String, Integer> lines) {
        record(s, lines);
        int mbufs = s.integer(ConfigKeys.MBUFS, MempoolSettings.DEFAULT_MBUFS);
        int size = s.integer(ConfigKeys.MBUF_SIZE, MbufPoolConfig.DEFAULT_DATA_ROOM_BYTES);
        boolean huge = s.bool("hugepages", false);
        String path = s.string("hugepage-path", MempoolSettings.DEFAULT_HUGEPAGE_PATH);
        if (huge && !Files.isDirectory(Path.of(path))) {
            s.error(s.has("hugepage-path") ? "hugepage-path" : "hugepages", path
                    + " is not a directory (mount hugetlbfs there, or set hugepage-path)");
        }
        return MempoolSettings.of(mbufs, size, huge, path);
    }

    private static ControlSettings control(Section s, String fileName, Map<String, Integer> lines) {
        record(s, lines);
        String socket = resolveAbsolute(fileName, s.string("socket", ControlSettings.DEFAULT_SOCKET).trim());
        int bytes = socket.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > ControlSettings.MAX_SOCKET_PATH_BYTES) {
            s.error("socket", "path " + socket + " is " + bytes + " bytes; a Unix socket path may have at most "
                    + ControlSettings.MAX_SOCKET_PATH_BYTES);
        }
        String level = s.choice("log-level", ControlSettings.DEFAULT_LOG_LEVEL, ConfigKeys.LOG_LEVELS);
        int maxClients = s.integer(ConfigKeys.MAX_CLIENTS, ControlSettings.DEFAULT_MAX_CLIENTS);
        int idleTimeout = s.integer(ConfigKeys.IDLE_TIMEOUT, ControlSettings.DEFAULT_IDLE_TIMEOUT_MS);
        String logFile = s.text("log-file", "a file path");
        if (logFile != null) {
            logFile = logFile.isBlank() ? null : resolveAbsolute(fileName, logFile.trim());
            if (logFile != null && Files.isDirectory(Path.of(logFile))) {
                s.error("log-file", logFile + " is a directory");
            }
        }
        String metrics = s.text("metrics-listen", "IP:PORT or PORT");
        if (metrics != null) {
            String m = MetricsListen.normalise(metrics.trim());
            if (m == null) {
                s.error("metrics-listen", "expected IP:PORT ([IPv6]:PORT) or a PORT on 127.0.0.1, 1..65535; got '"
                        + metrics + "'");
            }
            metrics = m;
        }
        return new ControlSettings(socket, level, maxClients, idleTimeout).withOps(logFile, metrics);
    }

    /** {@code db}: the OVSDB database to follow, or null. */
    private static String db(Section top) {
        String db = top.text("db", "unix:PATH or tcp:IP:PORT");
        if (db == null) {
            return null;
        }
        String t = db.trim();
        if (!(t.startsWith("unix:/") || t.matches("tcp:[^:]+:[0-9]{1,5}") || t.matches("tcp:\\[[0-9a-fA-F:]+\\]:[0-9]{1,5}"))) {
            top.error("db", "expected unix:/ABSOLUTE/PATH or tcp:IP:PORT, got '" + db + "'");
            return null;
        }
        return t;
    }

    // ------------------------------------------------------------------ bridges and ports

    private Map<String, BridgeSpec> bridges(Section all, DatapathConfig dp, BridgeSettings defaults, Diagnostics diag,
            Map<String, Integer> lines, Map<String, BridgeSpec> running) {
        record(all, lines);
        Map<String, BridgeSpec> out = new LinkedHashMap<>();
        Map<String, PortSpec> portsByName = new HashMap<>();
        for (String name : all.keys()) {
            if (!NAME.matcher(name).matches()) {
                all.errorAtKey(name, "a bridge name is " + NAME_RULE);
                continue;
            }
            Section b = all.section(name, ConfigKeys.BRIDGE);
            record(b, lines);
            Section ps = b.section("ports");
            record(ps, lines);
            Map<String, PortSpec> ports = new LinkedHashMap<>();
            Map<Integer, String> ofports = new HashMap<>();
            for (String pname : ps.keys()) {
                PortSpec p = port(name, pname, ps, dp, diag, lines, ofports);
                if (p == null) {
                    continue;
                }
                PortSpec sameName = portsByName.putIfAbsent(pname, p);
                if (sameName != null) {
                    ps.errorAtKey(pname, "port name " + pname + " is already used in bridge " + sameName.bridge()
                            + " (line " + sameName.line() + ")");
                    continue;
                }
                ports.put(pname, p);
            }
            BridgeSpec old = running.get(name);
            // The bridge's TLV map first: its flows read a longer option's tun_metadataN through it.
            List<String> tlvMap = TlvMapSection.read(b, diag, env.checker());
            env.checker().expectTlvMap(tlvMap);
            // Then its meters: with a meters key, its flows may name only those.
            List<FlowLine> meters = flowLines.read(b, "meters", diag, FlowLines.Kind.METERS,
                    old == null ? List.of() : old.meters());
            env.checker().expectMeters(b.has("meters") ? flowLines.meterIds(meters, diag) : null);
            boolean sameMeters = old != null && FlowLine.sameTexts(old.meters(), meters);
            List<FlowLine> flows = b.has("flows")
                    ? flowLines.read(b, "flows", diag, FlowLines.Kind.FLOWS, sameMeters ? old.flows() : List.of())
                    : List.of(new FlowLine(BridgeSpec.DEFAULT_FLOW, diag.file(), all.keyLine(name), b.path("flows")));
            List<FlowLine> groups = flowLines.read(b, "groups", diag, FlowLines.Kind.GROUPS,
                    old == null ? List.of() : old.groups());
            BridgeSettings settings = bridgeSettings(b, defaults).withPrefixes(flowTables(b, diag, lines))
                    .withTlvMap(tlvMap);
            out.put(name, new BridgeSpec(name, ports, flows, groups, settings, all.keyLine(name),
                    TunnelSection.endpoint(b, diag), OpenFlowKeys.read(b, diag.file()), List.of(), meters,
                    b.has(TlvMapSection.KEY) ? b.keyLine(TlvMapSection.KEY) : all.keyLine(name)));
        }
        if (diag.count() == 0) {
            // Only then: a port left out for its own error would read as a missing peer.
            checkPatchPeers(portsByName, diag);
        }
        return out;
    }

    private static boolean isPatch(String type) {
        return type != null && PortSpec.PATCH.equals(type.trim());
    }

    /** Each patch port's peer is a patch port of another bridge whose peer it is (as OVS wants). */
    private static void checkPatchPeers(Map<String, PortSpec> ports, Diagnostics diag) {
        for (PortSpec p : ports.values()) {
            if (!p.isPatch()) {
                continue;
            }
            PortSpec peer = ports.get(p.patchPeer());
            String problem = peer == null ? "no port named " + p.patchPeer()
                    : !peer.isPatch() ? "port " + peer.name() + " is not a patch port"
                    : peer.bridge().equals(p.bridge()) ? "port " + peer.name() + " is in the same bridge"
                    : !p.name().equals(peer.patchPeer()) ? "port " + peer.name() + "'s peer is " + peer.patchPeer()
                    : null;
            if (problem != null) {
                diag.add(diag.file(), p.line(), "bridges." + p.bridge() + ".ports." + p.name() + ".options.peer",
                        problem + " (a patch port's peer is a patch port of another bridge that names it back)");
            }
        }
    }

    /**
     * {@code flow-tables}: per OpenFlow table (key: its id), OVS's Flow_Table settings; now
     * {@code prefixes}, the fields the table tracks prefixes of, as a list, a comma-separated
     * string or {@code none}, checked by the OpenFlow side. Tables not named keep the default.
     */
    private Map<Integer, List<String>> flowTables(Section b, Diagnostics diag, Map<String, Integer> lines) {
        Section ts = b.section("flow-tables");
        record(ts, lines);
        Map<Integer, List<String>> out = new TreeMap<>();
        for (String key : ts.keys()) {
            Long id = ConfigKeys.TABLE_ID.parse(key, problem -> ts.errorAtKey(key, "a flow table is named by its id: "
                    + problem));
            Section t = ts.section(key, ConfigKeys.FLOW_TABLE);
            record(t, lines);
            if (id == null || !t.has("prefixes")) {
                continue;
            }
            List<String> fields = prefixFields(t, diag);
            if (fields == null) {
                continue;
            }
            String problem = env.checker().checkPrefixes(fields);
            if (problem != null) {
                t.error("prefixes", problem);
            } else {
                out.put(id.intValue(), fields);
            }
        }
        return out;
    }

    /** The field names of {@code prefixes}: a list, or one string split at commas; null after an error. */
    private static List<String> prefixFields(Section t, Diagnostics diag) {
        String what = "a list of fields like [nw_dst, nw_src], or none";
        Node v = t.value("prefixes");
        List<String> out = new ArrayList<>();
        if (v instanceof ScalarNode) {
            String text = Section.scalar(v, t.path("prefixes"), what, diag);
            if (text == null) {
                return null;
            }
            for (String f : text.split(",")) {
                out.add(f.trim());
            }
        } else {
            int before = diag.count();
            for (Node item : Section.list(v, t.path("prefixes"), what, diag)) {
                String f = Section.scalar(item, t.path("prefixes"), "a field name", diag);
                if (f != null) {
                    out.add(f.trim());
                }
            }
            if (diag.count() > before) {
                return null;
            }
        }
        if (out.isEmpty() || out.contains("")) {
            t.error("prefixes", "expected " + what);
            return null;
        }
        return out;
    }

    /** One port, or null when it has an error that keeps it from being checked further. */
    private PortSpec port(String bridge, String name, Section ports, DatapathConfig dp, Diagnostics diag,
            Map<String, Integer> lines, Map<Integer, String> ofports) {
        int line = ports.keyLine(name);
        if (!NAME.matcher(name).matches()) {
            ports.errorAtKey(name, "a port name is " + NAME_RULE);
            return null;
        }
        Section p = ports.section(name, ConfigKeys.PORT);
        record(p, lines);
        int before = diag.count();
        String type = p.text("type", "a port type");
        if (type == null && !p.has("type")) {
            diag.add(diag.file(), line, p.path(), "missing required key 'type'");
        } else if (type != null && !isPatch(type) && !env.portTypes().contains(type.trim())) {
            p.error("type", "unknown port type '" + type + "' (known: " + String.join(", ",
                    new TreeSet<>(env.portTypes())) + ")");
        }
        Long ofport = p.integerOrNull(ConfigKeys.OFPORT);
        if (!p.has("ofport")) {
            diag.add(diag.file(), line, p.path(), "missing required key 'ofport'");
        } else if (ofport != null) {
            String user = ofports.putIfAbsent(ofport.intValue(), name + " (line " + line + ")");
            if (user != null) {
                p.error("ofport", "ofport " + ofport + " is already used by port " + user);
            }
        }
        Map<String, String> options = new LinkedHashMap<>();
        Section o = p.section("options");
        for (String key : o.keys()) {
            String v = o.text(key, "a string");
            if (v != null) {
                options.put(key, v);
            }
        }
        if (type != null && env.portTypes().contains(type.trim())) {
            // The one place port options are checked before anything opens: --check, a start and
            // a reload all come here, so they agree on what a port type accepts.
            for (String problem : env.checkPortOptions(name, type.trim(), options, dp.pmdCpus().length)) {
                diag.add(diag.file(), line, p.path("options"), problem);
            }
        }
        if (isPatch(type) && (options.size() != 1 || !options.containsKey("peer"))) {
            p.error("options", "a patch port takes one option, peer: the patch port of another bridge it joins");
        }
        int tag = p.integer(ConfigKeys.TAG, PortSpec.NO_TAG);
        List<Integer> trunks = trunks(p, diag);
        if (p.has("tag") && p.has("trunks")) {
            p.error("trunks", "tag and trunks exclude each other (an access port carries one VLAN)");
        }
        String vlans = env.checker().checkVlans();
        if (vlans != null) {
            for (String key : new String[] {"tag", "trunks"}) {
                if (p.has(key)) {
                    p.error(key, vlans);
                }
            }
        }
        Map<Integer, Integer> affinity = affinity(p, dp);
        if (diag.count() > before) {
            return null;
        }
        return new PortSpec(bridge, name, type.trim(), ofport.intValue(), options, tag, trunks, affinity, line);
    }

    private static List<Integer> trunks(Section p, Diagnostics diag) {
        TreeSet<Integer> vlans = new TreeSet<>();
        for (Node item : Section.list(p.value("trunks"), p.path("trunks"), "a list of VLAN ids like [10, 20]", diag)) {
            String t = Section.scalar(item, p.path("trunks"), "a VLAN id", diag);
            Long v = t == null ? null : Section.parseInteger(t, item, p.path("trunks"), ConfigKeys.TRUNKS, diag);
            if (v != null) {
                vlans.add(v.intValue());
            }
        }
        return new ArrayList<>(vlans);
    }

    /** {@code pmd-rxq-affinity: "0:3,1:7"}: rx queue 0 to the PMD on CPU 3, queue 1 to CPU 7. */
    private static Map<Integer, Integer> affinity(Section p, DatapathConfig dp) {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        String text = p.text("pmd-rxq-affinity", "QUEUE:CPU pairs like 0:3,1:7");
        if (text == null) {
            return out;
        }
        int[] pmdCpus = dp.pmdCpus();
        for (String pair : text.split(",")) {
            String[] qc = pair.trim().split(":");
            int q;
            int cpu;
            try {
                if (qc.length != 2) {
                    throw new NumberFormatException();
                }
                q = Integer.parseInt(qc[0].trim());
                cpu = Integer.parseInt(qc[1].trim());
            } catch (NumberFormatException e) {
                p.error("pmd-rxq-affinity", "expected QUEUE:CPU pairs like 0:3,1:7, got '" + text + "'");
                return out;
            }
            if (q < 0 || q > ConfigKeys.MAX_RXQ) {
                p.error("pmd-rxq-affinity", "queue " + q + " is outside 0.." + ConfigKeys.MAX_RXQ);
            } else if (!contains(pmdCpus, cpu)) {
                p.error("pmd-rxq-affinity", "CPU " + cpu + " has no PMD (pmd-cpu-mask gives CPUs " + join(pmdCpus) + ")");
            } else if (out.put(q, cpu) != null) {
                p.error("pmd-rxq-affinity", "queue " + q + " is given twice");
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ flows and groups

    // ------------------------------------------------------------------ helpers

    private static Node compose(String fileName, String text) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(50);
        // SnakeYAML's own bound (3 MiB by default) would refuse files this loader accepts; the
        // file's size is bounded before it gets here (TextFile). Nesting stays at its default 50.
        options.setCodePointLimit((int) TextFile.MAX_CONFIG_BYTES);
        try {
            return new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            throw new ConfigException(List.of(new ConfigError(fileName, m == null ? 1 : m.getLine() + 1, "(yaml)",
                    "not valid YAML: " + Diagnostics.safe(String.valueOf(problem)))));
        } catch (YAMLException e) {
            throw single(fileName, "(yaml)", "not valid YAML: " + Diagnostics.safe(String.valueOf(e.getMessage())));
        }
    }

    /**
     * {@code path} taken relative to the directory of {@code fileName} (unless absolute), kept
     * relative when the config file was named relatively, so messages read as the user wrote.
     */
    static String resolve(String fileName, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p.normalize().toString();
        }
        return Path.of(fileName).resolveSibling(p).normalize().toString();
    }

    /** As {@link #resolve}, made absolute (the socket: logs and clients should see one path). */
    static String resolveAbsolute(String fileName, String path) {
        return Path.of(resolve(fileName, path)).toAbsolutePath().normalize().toString();
    }

    private static void record(Section s, Map<String, Integer> lines) {
        if (!s.path().isEmpty()) {
            lines.putIfAbsent(s.path(), s.line());
        }
        for (String k : s.keys()) {
            lines.put(s.path(k), s.keyLine(k));
        }
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static String join(int[] values) {
        StringBuilder sb = new StringBuilder();
        for (int v : values) {
            sb.append(sb.length() == 0 ? "" : ",").append(v);
        }
        return sb.toString();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String upper(String s) {
        return s.toUpperCase(java.util.Locale.ROOT);
    }

    private static ConfigException single(String file, String key, String message) {
        return single(file, 1, key, message);
    }

    private static ConfigException single(String file, int line, String key, String message) {
        return new ConfigException(List.of(new ConfigError(file, line, key, message)));
    }
}
