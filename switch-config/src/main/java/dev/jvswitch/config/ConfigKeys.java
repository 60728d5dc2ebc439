package dev.jvswitch.config;

import java.util.List;
import java.util.regex.Pattern;

import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.DatapathConfig;

/**
 * The keys of the configuration, grouped as the YAML file groups them, with the ranges and
 * choices every producer accepts: the shared vocabulary of the YAML loader and (later) the OVSDB
 * client, which reads the same names from {@code other_config} columns.
 *
 * <p><b>Where each default is defined</b> (once): the datapath's keys in pmd-core's
 * {@link DatapathConfig} ({@code DEFAULT_*}), except {@code pmd-idle} ({@link #DEFAULT_PMD_IDLE})
 * and {@code pmd-cpu-mask} (the last CPU this process may use), which are the daemon's; the
 * revalidators' in {@link RevalidatorSettings}; the bridges' and {@code max-idle} in ofproto,
 * passed in as {@link OfprotoDefaults}; the pool's in {@link MempoolSettings} and
 * {@link MbufPoolConfig}; the control socket's in {@link ControlSettings}.
 */
public final class ConfigKeys {
    public static final List<String> TOP = List.of("datapath", "mempool", "bridges", "routes", "mirrors", "control",
            "db", "conntrack");
    public static final List<String> DATAPATH = List.of("pmd-cpu-mask", "pmd-rxq-assign", "pmd-idle",
            "emc-insert-inv-prob", "smc-enable", "flow-limit", "max-idle", "n-revalidator-threads",
            "tx-flush-interval", "mac-table-size", "mac-aging-time");
    /** {@code datapath} keys that act per bridge: still read, as every bridge's default, with a warning. */
    public static final List<String> DATAPATH_DEPRECATED = List.of("mac-table-size", "mac-aging-time");
    public static final List<String> MEMPOOL = List.of("mbufs", "mbuf-size", "hugepages", "hugepage-path");
    public static final List<String> BRIDGE = List.of("ports", "flows", "groups", "meters", "mac-table-size", "mac-aging-time",
            "local-ip", "local-mac", "controller", "listen", "protocols", "fail-mode", "datapath-id",
            "controller-rate-limit", "controller-burst-limit", "inactivity-probe", "flow-tables", "tlv-map");
    /** Keys of one table under {@code bridges.NAME.flow-tables.N} (OVS's Flow_Table columns). */
    public static final List<String> FLOW_TABLE = List.of("prefixes");
    /** A bridge's OpenFlow keys ({@link OpenFlowSettings}); defaults there. */
    public static final List<String> FAIL_MODES = List.of("secure", "standalone");
    public static final List<String> PORT = List.of("type", "ofport", "options", "tag", "trunks", "pmd-rxq-affinity");
    /** Keys of one mirror under {@code mirrors.NAME} ({@link MirrorSettings}; ranges and defaults there). */
    public static final List<String> MIRROR = List.of("port", "direction", "file", "output-interface", "snaplen",
            "max-bytes", "max-pps");
    public static final List<String> MIRROR_DIRECTIONS = List.of("both", "rx", "tx");
    public static final List<String> CONTROL = List.of("socket", "log-level", "max-clients", "idle-timeout", "log-file",
            "metrics-listen");

    /** The {@code conntrack} section ({@link ConntrackSettings}) and one zone under its {@code zones}. */
    public static final List<String> CONNTRACK = List.of("ct-maxconns", "tcp_seq_chk", "default-limit",
            "timeout-policy", "zones", "ipf");
    public static final List<String> CT_IPF = List.of("enabled-v4", "enabled-v6", "min-frag-v4", "min-frag-v6",
            "max-nfrags");
    public static final IntKey IPF_MIN_FRAG_V4 = new IntKey("min-frag-v4", 400, 65_535);
    public static final IntKey IPF_MIN_FRAG_V6 = new IntKey("min-frag-v6", 400, 65_535);
    public static final IntKey IPF_MAX_NFRAGS = new IntKey("max-nfrags", 0, 5_000);
    public static final List<String> CT_ZONE = List.of("limit", "timeout-policy");
    public static final IntKey CT_MAXCONNS = new IntKey("ct-maxconns", 0, Integer.MAX_VALUE);
    public static final IntKey CT_LIMIT = new IntKey("limit", 0, Integer.MAX_VALUE);
    public static final IntKey CT_DEFAULT_LIMIT = new IntKey("default-limit", 0, Integer.MAX_VALUE);
    public static final IntKey CT_ZONE_ID = new IntKey("zone", 0, 65_535);

    public static final List<String> RXQ_ASSIGN = List.of("roundrobin", "cycles");
    public static final List<String> PMD_IDLE = List.of("busy", "backoff", "sleep");
    public static final List<String> LOG_LEVELS = List.of("off", "error", "warn", "info", "debug", "trace");
    /** The daemon's {@code pmd-idle}: spin, for production ({@code DatapathConfig.defaults()} backs off for tests). */
    public static final DatapathConfig.Idle DEFAULT_PMD_IDLE = DatapathConfig.Idle.BUSY;

    public static final IntKey EMC_INSERT_INV_PROB = new IntKey("emc-insert-inv-prob", 0, Integer.MAX_VALUE);
    public static final IntKey FLOW_LIMIT = new IntKey("flow-limit", 1, 10_000_000);
    public static final IntKey MAX_IDLE = new IntKey("max-idle", 100, 3_600_000);
    public static final IntKey N_REVALIDATOR_THREADS = new IntKey("n-revalidator-threads", 1, 64);
    public static final IntKey TX_FLUSH_INTERVAL = new IntKey("tx-flush-interval", 0, 1_000_000);
    public static final IntKey MAC_TABLE_SIZE = new IntKey("mac-table-size", 1, 1_000_000);
    public static final IntKey MAC_AGING_TIME = new IntKey("mac-aging-time", 1, 86_400);
    /** An OpenFlow table id, as {@code flow-tables} keys name them. */
    public static final IntKey TABLE_ID = new IntKey("table id", 0, 254);

    public static final IntKey MBUFS = new IntKey("mbufs", 256, 16_777_216);
    public static final IntKey MBUF_SIZE = new IntKey("mbuf-size", 64,
            MbufPoolConfig.MAX_SLOT_BYTES - MbufPoolConfig.DEFAULT_HEADROOM_BYTES);

    public static final IntKey CONTROLLER_RATE_LIMIT = new IntKey("controller-rate-limit", 0, 10_000_000);
    public static final IntKey CONTROLLER_BURST_LIMIT = new IntKey("controller-burst-limit", 0, 10_000_000);
    public static final IntKey INACTIVITY_PROBE = new IntKey("inactivity-probe", 0, 3_600_000);
    /** Smallest non-zero {@code inactivity-probe} (ms), as OVS. */
    public static final int MIN_INACTIVITY_PROBE_MS = 1_000;

    public static final IntKey MAX_CLIENTS = new IntKey("max-clients", 1, 65_536);
    public static final IntKey IDLE_TIMEOUT = new IntKey("idle-timeout", 100, 3_600_000);

    /** OpenFlow's largest physical port number (OFPP_MAX). */
    public static final int MAX_OFPORT = 65_279;
    public static final IntKey OFPORT = new IntKey("ofport", 1, MAX_OFPORT);
    public static final IntKey TAG = new IntKey("tag", 0, 4095);
    public static final IntKey TRUNKS = new IntKey("trunks", 0, 4095);
    /** Highest rx queue id {@code pmd-rxq-affinity} may name. */
    public static final int MAX_RXQ = 63;

    /** Bridge and port names. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    public static final String NAME_RULE = "1..32 letters, digits, '.', '-' or '_', starting with a letter or digit";

    private ConfigKeys() {
    }
}
