package dev.jvswitch.pmd.netdev;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.jvswitch.mempool.MbufPool;

/**
 * What a port is opened with: its name, type, type-specific options (strings, as they come from
 * the config file), and the pool its received packets are stored in.
 *
 * <p>The option readers below throw a {@link NetdevException} whose message is one line naming
 * the port and the option. A provider reads its options with them in one parse method that both
 * {@link NetdevProvider#open} and {@link NetdevProvider#validate} use ({@link #errorsOf}), so
 * that checking a config and opening its ports cannot disagree.
 *
 * @param name    port name, unique in the datapath
 * @param type    the provider's type name
 * @param options type options, e.g. {@code ifname}, {@code rxqs}
 * @param pool    the pool rx mbufs come from; {@code null} when the config is only validated
 * @param txqs    number of tx queues the datapath wants (one per PMD); a port may offer fewer
 */
public record NetdevConfig(String name, String type, Map<String, String> options, MbufPool pool, int txqs) {
    public NetdevConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        options = Map.copyOf(options);
        if (txqs < 1) {
            throw new IllegalArgumentException("port " + name + ": txqs must be at least 1");
        }
    }

    public NetdevConfig(String name, String type, Map<String, String> options, MbufPool pool) {
        this(name, type, options, pool, 1);
    }

    /** Reads a port type's options from a config; throws on the first one that is wrong. */
    @FunctionalInterface
    public interface OptionsParser<T> {
        T parse(NetdevConfig config) throws NetdevException;
    }

    /**
     * Runs {@code parser} over this config: what {@link NetdevProvider#validate} returns.
     *
     * @return the parser's one-line error, or an empty list when the options are fine
     */
    public List<String> errorsOf(OptionsParser<?> parser) {
        try {
            parser.parse(this);
            return List.of();
        } catch (NetdevException e) {
            return List.of(e.getMessage());
        }
    }

    /** Fails with a message naming the first option not in {@code known}. */
    public void checkOptions(Set<String> known) throws NetdevException {
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                throw new NetdevException("port " + name + ": unknown option '" + key + "' for type " + type
                        + " (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    public String option(String key, String defaultValue) {
        return options.getOrDefault(key, defaultValue);
    }

    public String requireOption(String key) throws NetdevException {
        String v = options.get(key);
        if (v == null || v.isBlank()) {
            throw new NetdevException("port " + name + ": option '" + key + "' is required for type " + type);
        }
        return v;
    }

    /** An integer option within {@code [min, max]}, or a message naming the option. */
    public int intOption(String key, int defaultValue, int min, int max) throws NetdevException {
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new NetdevException("port " + name + ": option '" + key + "' must be an integer, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new NetdevException(
                    "port " + name + ": option '" + key + "' must be within " + min + ".." + max + ", got " + n);
        }
        return n;
    }

    /** A boolean option ({@code true}/{@code false}), or a message naming the option. */
    public boolean boolOption(String key, boolean defaultValue) throws NetdevException {
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new NetdevException(
                    "port " + name + ": option '" + key + "' must be true or false, got '" + v + "'");
        };
    }
}
