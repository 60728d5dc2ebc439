package dev.jvswitch.vswitchd.metrics;

import java.util.Locale;

/**
 * Prometheus's text exposition format (version 0.0.4), written by hand: a family is its
 * {@code # HELP} and {@code # TYPE} lines and then its samples, each {@code name{labels} value}.
 * A family's samples must follow its header without another family between, so callers write
 * one family at a time. Label values are escaped ({@code \\}, {@code "}, newline).
 *
 * <p>Not thread-safe: one per scrape.
 */
public final class PromWriter {
    /** The Content-Type of this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder sb = new StringBuilder(8192);
    private String family;

    /** Starts family {@code name} of {@code type} (counter, gauge) with its help line. */
    public PromWriter family(String name, String type, String help) {
        family = name;
        sb.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** A sample of the current family; {@code labels} are name, value pairs. */
    public PromWriter sample(double value, String... labels) {
        sb.append(family);
        if (labels.length > 0) {
            sb.append('{');
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
            }
            sb.append('}');
        }
        sb.append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            sb.append((long) value);
        } else {
            sb.append(String.format(Locale.ROOT, "%.9g", value));
        }
        sb.append('\n');
        return this;
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
