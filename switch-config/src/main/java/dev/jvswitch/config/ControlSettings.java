package dev.jvswitch.config;

/**
 * The {@code control} section.
 *
 * @param socket        absolute path of the control socket ({@code socket}; a relative path in
 *                      the file is taken relative to the config file's directory)
 * @param logLevel      {@code log-level}: off, error, warn, info, debug or trace
 * @param maxClients    {@code max-clients}: control clients served at once (the longest idle one
 *                      is closed to admit another)
 * @param idleTimeoutMs {@code idle-timeout}: ms a control client may stay silent (before its
 *                      request is complete, or while it does not read its answer)
 * @param db            the top-level {@code db} key: the OVSDB database the bridges come from
 *                      ({@code unix:PATH}, {@code tcp:IP:PORT}), or null (bridges in the file)
 * @param logFile       {@code log-file}: absolute path of the file the daemon logs to (appended;
 *                      {@code vlog/reopen} reopens it after rotation), or null: stderr
 * @param metricsListen {@code metrics-listen}: {@code IP:PORT} of the Prometheus text endpoint
 *                      (a bare port means 127.0.0.1), or null: no endpoint
 */
public record ControlSettings(String socket, String logLevel, int maxClients, int idleTimeoutMs, String db,
        String logFile, String metricsListen) {
    public static final String DEFAULT_SOCKET = "/run/jvswitch/jvswitchd.sock";
    public static final String DEFAULT_LOG_LEVEL = "info";
    public static final int DEFAULT_MAX_CLIENTS = 64;
    public static final int DEFAULT_IDLE_TIMEOUT_MS = 10_000;
    /** Longest path a Unix domain socket address holds ({@code sun_path} less its terminator). */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    /** Settings without a database. */
    public ControlSettings(String socket, String logLevel, int maxClients, int idleTimeoutMs) {
        this(socket, logLevel, maxClients, idleTimeoutMs, null, null, null);
    }

    /** These settings following database {@code db} (null: none). */
    public ControlSettings withDb(String db) {
        return new ControlSettings(socket, logLevel, maxClients, idleTimeoutMs, db, logFile, metricsListen);
    }

    /** These settings with {@code log-file} and {@code metrics-listen} (null: none). */
    public ControlSettings withOps(String logFile, String metricsListen) {
        return new ControlSettings(socket, logLevel, maxClients, idleTimeoutMs, db, logFile, metricsListen);
    }

    /** The socket and log level, with the default client limits. */
    public ControlSettings(String socket, String logLevel) {
        this(socket, logLevel, DEFAULT_MAX_CLIENTS, DEFAULT_IDLE_TIMEOUT_MS);
    }
}
