package dev.jvswitch.ovsdb.mapping;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.jvswitch.config.BondSpec;
import dev.jvswitch.config.BridgeSettings;
import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.ConfigEnvironment;
import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConfigKeys;
import dev.jvswitch.config.CpuSet;
import dev.jvswitch.config.EndpointSpec;
import dev.jvswitch.config.FlowLine;
import dev.jvswitch.config.IntKey;
import dev.jvswitch.config.OfTarget;
import dev.jvswitch.config.OpenFlowSettings;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.config.RevalidatorSettings;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.ovsdb.data.Datum;
import dev.jvswitch.ovsdb.data.Replica;
import dev.jvswitch.pmd.DatapathConfig;

/**
 * The OVSDB producer of a {@link SwitchConfig}: the rows of the stock schema the client follows
 * ({@link Columns}) onto the process settings of the YAML file ({@code datapath}, {@code mempool},
 * {@code control}), giving the same snapshot the YAML loader gives for the same switch.
 *
 * <ul>
 *   <li>{@code Open_vSwitch.other_config}: the datapath keys by their OVS names (pmd-cpu-mask,
 *       pmd-rxq-assign, emc-insert-inv-prob, smc-enable, tx-flush-interval, flow-limit, max-idle,
 *       n-revalidator-threads); a value out of range is reported and the file's value kept, as OVS
 *       ignores a bad value; unknown keys are ignored as OVS does; stats-update-interval goes to
 *       the status writer ({@link DbConfig#statsIntervalMs}).</li>
 *   <li>{@code Bridge}: name, datapath_type ({@code netdev} or empty), fail_mode, protocols,
 *       controller (targets, probe and rate limits of the first), flow_tables
 *       ({@code Flow_Table.prefixes}), other_config (datapath-id, mac-table-size,
 *       mac-aging-time), mirrors ({@link MirrorMapper}); every bridge listens on
 *       {@code RUNDIR/NAME.mgmt} as OVS's do, and in standalone mode without controllers its
 *       table 0 starts with OVS's NORMAL flow. Its tunnel endpoint is the host's address on its
 *       own device ({@link MapContext#hostEndpoint}).</li>
 *   <li>{@code Port}: tag, trunks, vlan_mode (access, trunk, native-tagged, native-untagged; the
 *       tag is a native port's native VLAN), interfaces: several make a bond
 *       ({@code bond_mode} active-backup or balance-slb, {@code other_config:bond-primary}), each
 *       interface a port of the bridge carrying the same {@link BondSpec}.</li>
 *   <li>{@code Datapath} netdev's {@code ct_zones}: zone limits and timeout policies
 *       ({@link CtZoneMapper}).</li>
 *   <li>{@code Interface}: {@link InterfaceMapper}; ofport_request honoured, else the number the
 *       interface had, else the lowest free one; {@code other_config:pmd-rxq-affinity};
 *       {@code mtu_request} ({@link DbConfig#mtuRequests}, applied to the device by the daemon).</li>
 * </ul>
 * An interface that cannot be mapped is left out with its reason ({@link DbConfig#interfaceErrors});
 * the others are mapped as if it were not there. A problem with a bridge or a global key is a
 * warning in the snapshot, and the value is left at its default.
 *
 * <p>Stateless: every input is an argument.
 */
public final class OvsdbMapper {
    private final ConfigEnvironment env;

    public OvsdbMapper(ConfigEnvironment env) {
        this.env = env;
    }

    /** The interface types to publish in {@code Open_vSwitch.iface_types}. */
    public List<String> ifaceTypes() {
        return InterfaceMapper.ifaceTypes(env.portTypes());
    }

    /** {@code db} onto {@code base}'s process settings (its bridges, if any, are not used). */
    public DbConfig map(Replica db, SwitchConfig base, MapContext ctx) {
        List<ConfigError> warnings = new ArrayList<>(base.warnings());
        ObjectNode root = db.rows(Columns.ROOT).values().stream().findFirst().orElse(null);
        long nextCfg = root == null ? 0 : orZero(Datum.optInteger(root.get("next_cfg")));
        Map<String, String> oc = root == null ? Map.of() : Datum.stringMap(root.get("other_config"));
        DatapathConfig dp = datapath(base.datapath(), oc, ctx, warnings);
        RevalidatorSettings rv = revalidators(base.revalidators(), oc, dp.flowLimit(), ctx, warnings);
        Map<String, BridgeSpec> bridges = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, String> local = new LinkedHashMap<>();
        Map<String, String> portOwner = new HashMap<>();
        List<String> bridgeUuids = root == null ? List.of() : Datum.uuids(root.get("bridges"));
        TreeMap<String, ObjectNode> byName = new TreeMap<>();
        for (String u : bridgeUuids) {
            ObjectNode b = db.row(Columns.BRIDGE, u);
            if (b != null) {
                byName.put(Datum.string(b.get("name")), b);
            }
        }
        for (ObjectNode b : byName.values()) {
            BridgeSpec spec = bridge(db, b, base, dp, ctx, warnings, errors, local, portOwner);
            if (spec != null) {
                bridges.put(spec.name(), spec);
            }
        }
        long statsMs = statsInterval(oc, ctx, warnings);
        SwitchConfig c = new SwitchConfig(ctx.source(), dp, rv, base.bridgeDefaults(), base.mempool(), bridges,
                base.control(), Map.of(), warnings, List.of(),
                CtZoneMapper.conntrack(db, root, base.conntrack(), ctx, warnings));
        return new DbConfig(c, nextCfg, errors, local, statsMs, mtuRequests(db, portOwner.keySet()));
    }

    /**
     * {@code Interface.mtu_request} of the interfaces of the bridges ({@code inBridges}), by name;
     * the daemon sets the devices' MTU and reports a value they refuse in {@code error}.
     */
    private static Map<String, Integer> mtuRequests(Replica db, java.util.Set<String> inBridges) {
        Map<String, Integer> out = new TreeMap<>();
        for (ObjectNode i : db.rows(Columns.INTERFACE).values()) {
            String name = Datum.string(i.get("name"));
            Long mtu = Datum.optInteger(i.get("mtu_request"));
            if (mtu != null && inBridges.contains(name)) {
                out.put(name, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, mtu)));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ Open_vSwitch.other_config

    private DatapathConfig datapath(DatapathConfig d, Map<String, String> oc, MapContext ctx, List<ConfigError> w) {
        int[] cpus = d.pmdCpus();
        String mask = oc.get("pmd-cpu-mask");
        if (mask != null) {
            int[] asked = cpus(mask, ctx, w);
            if (asked != null) {
                cpus = asked;
            }
        }
        if (ctx.pinned() != null && !java.util.Arrays.equals(cpus, ctx.pinned().pmdCpus())) {
            if (mask != null) {
                w.add(warn(ctx, "pmd-cpu-mask", "cannot change while jvswitchd runs (PMDs on CPUs "
                        + java.util.Arrays.toString(ctx.pinned().pmdCpus()) + "); restart it to apply " + mask));
            }
            cpus = ctx.pinned().pmdCpus();
        }
        DatapathConfig.RxqAssign assign = d.rxqAssign();
        String a = oc.get("pmd-rxq-assign");
        if (a != null) {
            if (ConfigKeys.RXQ_ASSIGN.contains(a)) {
                assign = DatapathConfig.RxqAssign.valueOf(a.toUpperCase(Locale.ROOT));
            } else {
                w.add(warn(ctx, "pmd-rxq-assign", "'" + a + "' is not supported (supported: "
                        + String.join(", ", ConfigKeys.RXQ_ASSIGN) + "); keeping " + lower(assign)));
            }
        }
        int emc = integer(oc, ConfigKeys.EMC_INSERT_INV_PROB, d.emcInsertInvProb(), ctx, w);
        boolean smc = d.smcEnable();
        String s = oc.get("smc-enable");
        if (s != null) {
            if (s.equals("true") || s.equals("false")) {
                smc = Boolean.parseBoolean(s);
            } else {
                w.add(warn(ctx, "smc-enable", "expected true or false, got '" + s + "'"));
            }
        }
        int flowLimit = integer(oc, ConfigKeys.FLOW_LIMIT, d.flowLimit(), ctx, w);
        int txFlush = integer(oc, ConfigKeys.TX_FLUSH_INTERVAL, d.txFlushIntervalUs(), ctx, w);
        return new DatapathConfig(cpus, assign, d.idle(), emc, smc, flowLimit, txFlush);
    }

    private RevalidatorSettings revalidators(RevalidatorSettings r, Map<String, String> oc, int flowLimit,
            MapContext ctx, List<ConfigError> w) {
        int maxIdle = integer(oc, ConfigKeys.MAX_IDLE, r.maxIdleMs(), ctx, w);
        int threads = integer(oc, ConfigKeys.N_REVALIDATOR_THREADS, r.threads(), ctx, w);
        if (ctx.pinned() != null && threads != ctx.pinned().revalidatorThreads()) {
            w.add(warn(ctx, "n-revalidator-threads", "cannot change while jvswitchd runs (was "
                    + ctx.pinned().revalidatorThreads() + "); restart it to apply " + threads));
            threads = ctx.pinned().revalidatorThreads();
        }
        return new RevalidatorSettings(threads, maxIdle, flowLimit);
    }

    /** {@code stats-update-interval}: ms, at least OVS's 5000 (a smaller value is raised, as OVS does). */
    private static long statsInterval(Map<String, String> oc, MapContext ctx, List<ConfigError> w) {
        String v = oc.get("stats-update-interval");
        if (v == null) {
            return DbConfig.MIN_STATS_INTERVAL_MS;
        }
        try {
            return Math.max(DbConfig.MIN_STATS_INTERVAL_MS, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            w.add(warn(ctx, "stats-update-interval", "expected milliseconds, got '" + v + "'; using "
                    + DbConfig.MIN_STATS_INTERVAL_MS));
            return DbConfig.MIN_STATS_INTERVAL_MS;
        }
    }

    /** OVS writes the mask without {@code 0x} too: {@code pmd-cpu-mask=6}. */
    private int[] cpus(String mask, MapContext ctx, List<ConfigError> w) {
        String m = mask.trim();
        BitSet set = CpuSet.parseMask(m.startsWith("0x") || m.startsWith("0X") ? m : "0x" + m);
        if (set == null || set.isEmpty()) {
            w.add(warn(ctx, "pmd-cpu-mask", "expected a hex CPU mask selecting at least one CPU, got '" + mask + "'"));
            return null;
        }
        BitSet missing = (BitSet) set.clone();
        missing.andNot(env.allowedCpus());
        if (!missing.isEmpty()) {
            w.add(warn(ctx, "pmd-cpu-mask", "CPUs " + CpuSet.format(missing) + " do not exist or are not allowed for"
                    + " this process (allowed: " + CpuSet.format(env.allowedCpus()) + ")"));
            return null;
        }
        return set.stream().toArray();
    }

    private static int integer(Map<String, String> oc, IntKey key, int fallback, MapContext ctx, List<ConfigError> w) {
        String v = oc.get(key.name());
        if (v == null) {
            return fallback;
        }
        Long n = key.parse(v, problem -> w.add(warn(ctx, key.name(), problem)));
        return n == null ? fallback : n.intValue();
    }

    // ------------------------------------------------------------------ Bridge, Port, Interface

    private BridgeSpec bridge(Replica db, ObjectNode b, SwitchConfig base, DatapathConfig dp, MapContext ctx,
            List<ConfigError> w, Map<String, String> errors, Map<String, String> local, Map<String, String> owner) {
        String name = Datum.string(b.get("name"));
        String where = "Bridge " + name;
        if (!ConfigKeys.NAME.matcher(name).matches()) {
            w.add(new ConfigError(ctx.source(), 1, where, "a bridge name is " + ConfigKeys.NAME_RULE + "; bridge ignored"));
            return null;
        }
        String dpType = Datum.string(b.get("datapath_type"));
        if (!dpType.isEmpty() && !dpType.equals("netdev")) {
            w.add(new ConfigError(ctx.source(), 1, where + " datapath_type", "'" + dpType
                    + "' is run as netdev (jvswitch is a userspace datapath)"));
        }
        Map<String, String> boc = Datum.stringMap(b.get("other_config"));
        BridgeSettings defaults = base.bridgeDefaults();
        BridgeSettings settings = new BridgeSettings(
                integer(boc, ConfigKeys.MAC_TABLE_SIZE, defaults.macTableSize(), ctx, w),
                integer(boc, ConfigKeys.MAC_AGING_TIME, defaults.macAgingSec(), ctx, w), prefixes(db, b, ctx, w));
        OpenFlowSettings of = openflow(db, b, name, boc, ctx, w);
        Map<String, PortSpec> ports = ports(db, b, name, dp, ctx, w, errors, local, owner);
        List<FlowLine> flows = of.failMode() == OpenFlowSettings.FailMode.STANDALONE && of.controllers().isEmpty()
                ? List.of(new FlowLine(BridgeSpec.DEFAULT_FLOW, ctx.source(), 1, where)) : List.of();
        // The tunnel endpoint is what the host holds on the bridge's own device, as in OVS (its
        // route table follows the kernel's; the userspace datapath tunnels from br-phy's address).
        PortSpec own = ports.get(name);
        EndpointSpec endpoint = own != null && own.ofport() == PortSpec.LOCAL ? ctx.hostEndpoint().apply(name) : null;
        return new BridgeSpec(name, ports, flows, List.of(), settings, 1, endpoint, of,
                MirrorMapper.mirrors(db, b, ctx, w));
    }

    private Map<Integer, List<String>> prefixes(Replica db, ObjectNode b, MapContext ctx, List<ConfigError> w) {
        Map<Integer, List<String>> out = new TreeMap<>();
        for (Map.Entry<String, String> t : Datum.uuidMap(b.get("flow_tables")).entrySet()) {
            ObjectNode ft = db.row(Columns.FLOW_TABLE, t.getValue());
            List<String> fields = ft == null ? List.of() : Datum.strings(ft.get("prefixes"));
            if (fields.isEmpty()) {
                continue;
            }
            String problem = env.checker().checkPrefixes(fields);
            if (problem != null) {
                w.add(warn(ctx, "Flow_Table " + t.getKey() + " prefixes", problem));
            } else {
                out.put(Integer.parseInt(t.getKey()), fields);
            }
        }
        return out;
    }

    private static OpenFlowSettings openflow(Replica db, ObjectNode b, String name, Map<String, String> boc,
            MapContext ctx, List<ConfigError> w) {
        String where = "Bridge " + name;
        List<OfTarget> controllers = new ArrayList<>();
        int probe = OpenFlowSettings.DEFAULT_INACTIVITY_PROBE_MS;
        int rate = 0;
        int burst = 0;
        boolean first = true;
        for (String u : Datum.uuids(b.get("controller"))) {
            ObjectNode c = db.row(Columns.CONTROLLER, u);
            if (c == null) {
                continue;
            }
            String target = Datum.string(c.get("target"));
            try {
                controllers.add(OfTarget.parse(target, true, p -> p));
            } catch (IllegalArgumentException e) {
                w.add(new ConfigError(ctx.source(), 1, where + " controller " + target, e.getMessage()));
                continue;
            }
            if (first) {
                first = false;
                Long p = Datum.optInteger(c.get("inactivity_probe"));
                probe = p == null ? probe : (int) Math.max(0, Math.min(p, ConfigKeys.INACTIVITY_PROBE.max()));
                if (probe > 0 && probe < ConfigKeys.MIN_INACTIVITY_PROBE_MS) {
                    probe = ConfigKeys.MIN_INACTIVITY_PROBE_MS;
                }
                Long r = Datum.optInteger(c.get("controller_rate_limit"));
                rate = r == null ? 0 : (int) Math.max(OpenFlowSettings.MIN_RATE_LIMIT, Math.min(r, 10_000_000));
                Long bu = Datum.optInteger(c.get("controller_burst_limit"));
                burst = bu == null ? 0 : (int) Math.max(OpenFlowSettings.MIN_BURST_LIMIT, Math.min(bu, 10_000_000));
            }
        }
        List<OfTarget> listeners = List.of(OfTarget.parse("punix:" + ctx.rundir() + "/" + name + ".mgmt", false,
                p -> p));
        List<Integer> protocols = new ArrayList<>();
        for (String p : Datum.strings(b.get("protocols"))) {
            int v = OpenFlowSettings.PROTOCOL_NAMES.indexOf(p);
            if (v < 0) {
                w.add(new ConfigError(ctx.source(), 1, where + " protocols", p + " is not supported (supported: "
                        + String.join(", ", OpenFlowSettings.PROTOCOL_NAMES) + "); not offered"));
            } else {
                protocols.add(v + 4);
            }
        }
        protocols = protocols.isEmpty() ? OpenFlowSettings.DEFAULT_PROTOCOLS : new ArrayList<>(new TreeSet<>(protocols));
        String fm = Datum.string(b.get("fail_mode"));
        OpenFlowSettings.FailMode failMode = fm.equals("secure") ? OpenFlowSettings.FailMode.SECURE
                : OpenFlowSettings.FailMode.STANDALONE;
        long dpid = OpenFlowSettings.DERIVED_DATAPATH_ID;
        String id = boc.get("datapath-id");
        if (id != null) {
            String hex = id.startsWith("0x") ? id.substring(2) : id;
            if (hex.matches("[0-9a-fA-F]{16}")) {
                dpid = Long.parseUnsignedLong(hex, 16);
            } else {
                w.add(new ConfigError(ctx.source(), 1, where + " other_config:datapath-id", "expected 16 hex digits, got '"
                        + id + "'; derived from a MAC instead"));
            }
        }
        return new OpenFlowSettings(controllers, listeners, protocols, failMode, dpid, rate, burst, probe);
    }

    private Map<String, PortSpec> ports(Replica db, ObjectNode b, String bridge, DatapathConfig dp, MapContext ctx,
            List<ConfigError> w, Map<String, String> errors, Map<String, String> local, Map<String, String> owner) {
        record Candidate(String name, String type, Map<String, String> options, Long request, int tag,
                List<Integer> trunks, Map<Integer, Integer> affinity, BondSpec bond, String vlanMode) {
        }
        List<Candidate> candidates = new ArrayList<>();
        TreeMap<String, ObjectNode> portsByName = new TreeMap<>();
        for (String u : Datum.uuids(b.get("ports"))) {
            ObjectNode p = db.row(Columns.PORT, u);
            if (p != null) {
                portsByName.put(Datum.string(p.get("name")), p);
            }
        }
        for (ObjectNode p : portsByName.values()) {
            String pname = Datum.string(p.get("name"));
            List<ObjectNode> ifaces = new ArrayList<>();
            for (String u : Datum.uuids(p.get("interfaces"))) {
                ObjectNode i = db.row(Columns.INTERFACE, u);
                if (i != null) {
                    ifaces.add(i);
                }
            }
            // A bond's members by name: the numbers they get do not depend on their rows' UUIDs.
            ifaces.sort(java.util.Comparator.comparing(i -> Datum.string(i.get("name"))));
            BondSpec bond = null;
            if (ifaces.size() > 1) {
                String problem = BondMapper.problem(pname, p);
                if (problem != null) {
                    for (ObjectNode i : ifaces) {
                        errors.put(Datum.string(i.get("name")), problem);
                    }
                    continue;
                }
                bond = BondMapper.bond(pname, p, ifaces, ctx, w);
            }
            for (ObjectNode i : ifaces) {
                String name = Datum.string(i.get("name"));
                String previous = owner.putIfAbsent(name, bridge);
                if (previous != null) {
                    errors.put(name, "interface " + name + " is already in bridge " + previous);
                    continue;
                }
                Map<String, String> options = Datum.stringMap(i.get("options"));
                InterfaceMapper.Mapped m = InterfaceMapper.map(bridge, name, Datum.string(i.get("type")), options, ctx,
                        env.portTypes());
                if (m.error() != null) {
                    errors.put(name, m.error());
                    continue;
                }
                if (m.local()) {
                    local.put(name, bridge);
                    continue;
                }
                m = withHwaddr(m, b, name, ctx, w);
                boolean patch = m.type().equals(PortSpec.PATCH);
                List<String> problems = patch ? new ArrayList<>()
                        : new ArrayList<>(env.checkPortOptions(name, m.type(), m.options(), dp.pmdCpus().length));
                if (!patch && !env.portTypes().contains(m.type())) {
                    problems.add("port type " + m.type() + " is not available in this build");
                }
                int tag = PortSpec.NO_TAG;
                Long t = Datum.optInteger(p.get("tag"));
                String mode = Datum.optString(p.get("vlan_mode"));
                List<Integer> trunks = new ArrayList<>();
                for (Long v : Datum.integers(p.get("trunks"))) {
                    trunks.add(v.intValue());
                }
                java.util.Collections.sort(trunks);
                String vlanMode = null;
                if (PortSpec.NATIVE_TAGGED.equals(mode) || PortSpec.NATIVE_UNTAGGED.equals(mode)) {
                    // A trunk with a native VLAN: the tag, 0 without one (as OVS).
                    vlanMode = mode;
                    tag = t == null || t < 0 || t > 4095 ? 0 : t.intValue();
                } else if (mode != null && !mode.equals("access") && !mode.equals("trunk")) {
                    problems.add("vlan_mode " + mode + " is not supported yet (access, trunk, native-tagged and"
                            + " native-untagged are)");
                } else if ("trunk".equals(mode)) {
                    // A trunk: the tag, if any, is not used (OVS ignores it too).
                } else if (t != null) {
                    tag = t.intValue();
                }
                if (tag != PortSpec.NO_TAG || !trunks.isEmpty()) {
                    String vlans = env.checker().checkVlans();
                    if (vlans != null) {
                        problems.add(vlans);
                    }
                }
                Map<Integer, Integer> affinity = new LinkedHashMap<>();
                String aff = Datum.stringMap(i.get("other_config")).get("pmd-rxq-affinity");
                if (aff != null) {
                    String problem = affinity(aff, dp, affinity);
                    if (problem != null) {
                        problems.add(problem);
                    }
                }
                if (!problems.isEmpty()) {
                    errors.put(name, String.join("; ", problems));
                    continue;
                }
                Long request = m.ownPort() ? Long.valueOf(PortSpec.LOCAL) : Datum.optInteger(i.get("ofport_request"));
                candidates.add(new Candidate(name, m.type(), m.options(), request, tag, trunks, affinity, bond,
                        vlanMode));
            }
        }
        // Numbers: requests first, then the numbers interfaces had, then the lowest free ones.
        Map<String, Integer> ofports = new HashMap<>();
        TreeSet<Integer> used = new TreeSet<>();
        for (Candidate c : candidates) {
            boolean own = c.request() != null && c.request() == PortSpec.LOCAL;
            if (c.request() != null && (own || c.request() >= 1 && c.request() <= ConfigKeys.MAX_OFPORT)
                    && used.add(c.request().intValue())) {
                ofports.put(c.name(), c.request().intValue());
            }
        }
        for (Candidate c : candidates) {
            Integer had = ctx.knownOfports().get(c.name());
            if (!ofports.containsKey(c.name()) && had != null && had >= 1 && had <= ConfigKeys.MAX_OFPORT
                    && used.add(had)) {
                ofports.put(c.name(), had);
            }
        }
        Map<String, PortSpec> out = new LinkedHashMap<>();
        int next = 1;
        for (Candidate c : candidates) {
            Integer no = ofports.get(c.name());
            if (no == null) {
                while (used.contains(next)) {
                    next++;
                }
                if (next > ConfigKeys.MAX_OFPORT) {
                    errors.put(c.name(), "no free OpenFlow port number in bridge " + bridge);
                    continue;
                }
                no = next;
                used.add(no);
            }
            out.put(c.name(), new PortSpec(bridge, c.name(), c.type(), no, c.options(), c.tag(), c.trunks(),
                    c.affinity(), 1, c.bond(), c.vlanMode()));
        }
        return out;
    }

    /** {@code QUEUE:CPU,...} into {@code out}; null, or the problem. */
    private static String affinity(String text, DatapathConfig dp, Map<Integer, Integer> out) {
        for (String pair : text.split(",")) {
            String[] qc = pair.trim().split(":");
            try {
                int q = Integer.parseInt(qc[0].trim());
                int cpu = Integer.parseInt(qc[1].trim());
                if (qc.length != 2 || q < 0 || q > ConfigKeys.MAX_RXQ) {
                    throw new NumberFormatException();
                }
                boolean pmd = false;
                for (int c : dp.pmdCpus()) {
                    pmd |= c == cpu;
                }
                if (!pmd) {
                    return "pmd-rxq-affinity: CPU " + cpu + " has no PMD";
                }
                out.put(q, cpu);
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                return "pmd-rxq-affinity: expected QUEUE:CPU pairs like 0:3,1:7, got '" + text + "'";
            }
        }
        return null;
    }

    /**
     * The bridge's own internal interface with {@code other_config:hwaddr} as its MAC (OVS's
     * {@code bridge_pick_local_hw_addr}); a value that is no unicast MAC is reported and left out.
     */
    private static InterfaceMapper.Mapped withHwaddr(InterfaceMapper.Mapped m, ObjectNode b, String name,
            MapContext ctx, List<ConfigError> w) {
        String hw = Datum.stringMap(b.get("other_config")).get("hwaddr");
        if (hw == null || !m.ownPort() || !InterfaceMapper.TAP.equals(m.type())) {
            return m;
        }
        if (!hw.matches("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}") || (Integer.parseInt(hw.substring(0, 2), 16) & 1) != 0) {
            w.add(new ConfigError(ctx.source(), 1, "Bridge " + name + " other_config:hwaddr", "expected a unicast MAC"
                    + " like 02:00:00:00:00:01, got '" + hw + "'; the device keeps its own"));
            return m;
        }
        Map<String, String> o = new LinkedHashMap<>(m.options());
        o.put("mac", hw.toLowerCase(Locale.ROOT));
        return new InterfaceMapper.Mapped(m.type(), o, m.local(), m.error(), m.ownPort());
    }

    private static ConfigError warn(MapContext ctx, String key, String message) {
        return new ConfigError(ctx.source(), 1, "Open_vSwitch other_config:" + key, message);
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
