package dev.jvswitch.config;

/**
 * One flow, group or meter string of a bridge, with where it came from, so that errors found later (by
 * the slow path, at reload) still name the file and line.
 *
 * @param text flow, group or meter in ovs-ofctl syntax
 * @param file the config file or the {@code @file} it was read from
 * @param line 1-based line in that file
 * @param key  dotted key path, e.g. {@code bridges.br0.flows[2]}
 */
public record FlowLine(String text, String file, int line, String key) {
    /** {@code FILE:LINE: KEY: } followed by {@code message}. */
    public String error(String message) {
        return new ConfigError(file, line, key, message).toString();
    }

    /** Whether {@code a} and {@code b} hold the same texts in the same order (what a reload compares), copying none. */
    public static boolean sameTexts(java.util.List<FlowLine> a, java.util.List<FlowLine> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).text().equals(b.get(i).text())) {
                return false;
            }
        }
        return true;
    }
}
