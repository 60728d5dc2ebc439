package dev.jvswitch.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects what one load finds, so that a user sees every problem at once: errors, which stop the
 * load, and warnings (deprecated keys), which do not. Both come out in file order: the config
 * file first, then each {@code @file} in the order it was referenced, each by line. A producer
 * (the YAML loader, later the OVSDB client) reports here and throws {@link #throwIfAny} once it
 * has read everything.
 *
 * <p><b>Bounds.</b> A user must be able to read what comes out, and a file of garbage must not
 * turn into a flood of output or an echo of its content:
 * <ul>
 *   <li>at most {@value #MAX_ERRORS_PER_FILE} errors of one file are kept; the rest are counted,
 *       and one more line says how many were not shown ({@link #sorted});</li>
 *   <li>a message quotes at most {@value #MAX_QUOTE_CHARS} characters of what the file said
 *       (between {@code '...'}), a key path segment at most {@value #MAX_KEY_SEGMENT_CHARS},
 *       control characters show as {@code ?}, and a message is at most
 *       {@value #MAX_MESSAGE_CHARS} characters: a mistaken {@code @/etc/shadow} yields errors
 *       that do not repeat its lines ({@link #safe}).</li>
 * </ul>
 *
 * <p>Not thread-safe: one load, one thread.
 */
public final class Diagnostics {
    /** Errors kept per file; the rest are only counted. */
    public static final int MAX_ERRORS_PER_FILE = 100;
    /** Longest quotation of a file's content in a message. */
    public static final int MAX_QUOTE_CHARS = 16;
    /** Longest segment of a key path shown (names are at most 32 characters). */
    public static final int MAX_KEY_SEGMENT_CHARS = 32;
    /** Longest message. */
    public static final int MAX_MESSAGE_CHARS = 300;

    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<ConfigError> warnings = new ArrayList<>();
    private final Map<String, Integer> fileOrder = new LinkedHashMap<>();
    private final Map<String, Integer> kept = new LinkedHashMap<>();
    /** Per file: the first error not kept, and how many were not. */
    private final Map<String, ConfigError> firstDropped = new LinkedHashMap<>();
    private final Map<String, Integer> dropped = new LinkedHashMap<>();
    private int total;

    /** @param file the config file's name as the user gave it */
    public Diagnostics(String file) {
        this.file = file;
        fileOrder.put(file, 0);
    }

    /** The config file's name as the user gave it. */
    public String file() {
        return file;
    }

    /** An error in {@code inFile} (the config file or an {@code @file}). */
    public void add(String inFile, int line, String key, String message) {
        fileOrder.putIfAbsent(inFile, fileOrder.size());
        total++;
        if (kept.merge(inFile, 1, Integer::sum) > MAX_ERRORS_PER_FILE) {
            if (dropped.merge(inFile, 1, Integer::sum) == 1) {
                firstDropped.put(inFile, new ConfigError(inFile, line, safeKey(key), ""));
            }
            return;
        }
        errors.add(new ConfigError(inFile, line, safeKey(key), safe(message)));
    }

    /**
     * {@code count} more errors of {@code inFile}, not shown: a producer that checks lines in
     * parallel keeps the first {@value #MAX_ERRORS_PER_FILE} + 1 errors of a file per chunk in full
     * and only counts the others, which come after those (so after the file's first unshown one).
     */
    public void addUnshown(String inFile, int count) {
        if (count <= 0) {
            return;
        }
        if (!firstDropped.containsKey(inFile)) {
            throw new IllegalStateException("errors of " + inFile + " counted before its first "
                    + MAX_ERRORS_PER_FILE + " were added");
        }
        total += count;
        kept.merge(inFile, count, Integer::sum);
        dropped.merge(inFile, count, Integer::sum);
    }

    /** A warning: reported, but the config is still used. */
    public void warn(String inFile, int line, String key, String message) {
        fileOrder.putIfAbsent(inFile, fileOrder.size());
        warnings.add(new ConfigError(inFile, line, safeKey(key), safe(message)));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Errors so far, shown or not (a reader compares counts to learn whether one item had any). */
    public int count() {
        return total;
    }

    /**
     * The errors, config file first, by line; stable for errors on the same line. A file with
     * more than {@value #MAX_ERRORS_PER_FILE} errors has its first ones, then one line (at the
     * first error not shown) counting the rest.
     */
    public List<ConfigError> sorted() {
        List<ConfigError> out = new ArrayList<>();
        List<ConfigError> all = inFileOrder(errors);
        for (int i = 0; i < all.size(); i++) {
            ConfigError e = all.get(i);
            out.add(e);
            boolean lastOfFile = i + 1 == all.size() || !all.get(i + 1).file().equals(e.file());
            if (lastOfFile && dropped.containsKey(e.file())) {
                ConfigError first = firstDropped.get(e.file());
                out.add(new ConfigError(e.file(), first.line(), first.key(), "... and " + dropped.get(e.file())
                        + " more error(s) in this file, not shown (only the first " + MAX_ERRORS_PER_FILE
                        + " of a file are)"));
            }
        }
        return out;
    }

    /** The warnings, in the same order as {@link #sorted}. */
    public List<ConfigError> warnings() {
        return inFileOrder(warnings);
    }

    /** Throws the collected errors, if any. */
    public void throwIfAny() throws ConfigException {
        if (!errors.isEmpty()) {
            throw new ConfigException(sorted(), total);
        }
    }

    /**
     * {@code message} made safe to show: control characters as {@code ?}, each quotation
     * ({@code '...'}) cut to {@value #MAX_QUOTE_CHARS} characters, the whole to
     * {@value #MAX_MESSAGE_CHARS}.
     */
    public static String safe(String message) {
        StringBuilder sb = new StringBuilder(Math.min(message.length(), MAX_MESSAGE_CHARS + 3));
        int quoteStart = -1;
        for (int i = 0; i < message.length() && sb.length() < MAX_MESSAGE_CHARS; i++) {
            char c = printable(message.charAt(i));
            if (c == '\'' && (quoteStart >= 0 || i == 0 || !Character.isLetterOrDigit(message.charAt(i - 1)))) {
                // Opens a quotation (an apostrophe inside a word, as in "field's", does not).
                quoteStart = quoteStart < 0 ? sb.length() + 1 : -1;
                sb.append(c);
            } else if (quoteStart >= 0 && sb.length() - quoteStart >= MAX_QUOTE_CHARS) {
                // Skip the rest of the quotation, marking the cut once.
                if (sb.charAt(sb.length() - 1) != '\u2026') {
                    sb.append('\u2026');
                }
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= MAX_MESSAGE_CHARS) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** {@code key} made safe to show: control characters as {@code ?}, long segments cut. */
    static String safeKey(String key) {
        StringBuilder sb = new StringBuilder();
        for (String seg : key.split("\\.", -1)) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            String s = seg.length() > MAX_KEY_SEGMENT_CHARS ? seg.substring(0, MAX_QUOTE_CHARS) + "\u2026" : seg;
            for (int i = 0; i < s.length(); i++) {
                sb.append(printable(s.charAt(i)));
            }
        }
        return sb.toString();
    }

    private static char printable(char c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0) ? '?' : c;
    }

    private List<ConfigError> inFileOrder(List<ConfigError> list) {
        List<ConfigError> out = new ArrayList<>(list);
        out.sort(Comparator.<ConfigError>comparingInt(e -> fileOrder.get(e.file())).thenComparingInt(ConfigError::line));
        return out;
    }
}
