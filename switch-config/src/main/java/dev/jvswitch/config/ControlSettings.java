package dev.jvswitch.config;

/**
 * The {@code control} section.
 *
 * @param socket   absolute path of the control socket ({@code socket}; a relative path in the
 *                 file is taken relative to the config file's directory)
 * @param logLevel {@code log-level}: off, error, warn, info, debug or trace
 */
public record ControlSettings(String socket, String logLevel) {
    public static final String DEFAULT_SOCKET = "/run/jvswitch/jvswitchd.sock";
    public static final String DEFAULT_LOG_LEVEL = "info";
    /** Longest path a Unix domain socket address holds ({@code sun_path} less its terminator). */
    public static final int MAX_SOCKET_PATH_BYTES = 107;
}
