package dev.jvswitch.vswitchd.vlog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;

/**
 * The daemon's logging: Logback configured in code (no file to find), one destination — stderr
 * ({@code console}) or the config's {@code log-file} ({@code file}) — and a level per
 * {@link VlogModule} that {@code vlog/set} changes while the daemon runs. Lines look as they did
 * with slf4j-simple: {@code 2026-01-02 03:04:05.678 [thread] LEVEL logger - message}.
 *
 * <p>OVS keeps a level per module and destination; jvswitch logs to one destination, so a module
 * has one level: a {@code vlog/set} naming the other destination (or syslog) changes nothing and
 * says so, and {@code vlog/list} prints {@code OFF} under the destinations not in use.
 *
 * <p><b>Thread-safety:</b> Logback's levels and appenders are thread-safe; {@link #set},
 * {@link #reopen} and {@link #list} run on the control thread, loggers log from any thread. The
 * set of modules whose rate limit is off is a concurrent set read by the control thread.
 */
public final class Vlog {
    /** Logged as before with slf4j-simple (tests and scripts look for {@code " WARN "}). */
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} [%thread] %level %logger{0} - %msg%n";
    private static final String APPENDER = "jvswitchd";

    private static volatile Vlog current;

    private final LoggerContext context;
    private final Path logFile;
    private final Set<VlogModule> rateLimitOff = ConcurrentHashMap.newKeySet();

    private Vlog(LoggerContext context, Path logFile) {
        this.context = context;
        this.logFile = logFile;
    }

    /**
     * Sets logging up before anything logs: every module at {@code level} (off, error, warn, info,
     * debug, trace), Chronicle's libraries at warn, lines to {@code logFile} (appended; created
     * with its directory) or, when null, to stderr.
     *
     * @throws IllegalArgumentException when the file cannot be opened (named in the message)
     */
    public static Vlog configure(String level, Path logFile) {
        ILoggerFactory f = LoggerFactory.getILoggerFactory();
        if (!(f instanceof LoggerContext ctx)) {
            throw new IllegalStateException("SLF4J is not bound to Logback but to " + f.getClass().getName());
        }
        Level l = Level.toLevel(level, Level.INFO);
        ctx.reset();
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern(PATTERN);
        enc.start();
        OutputStreamAppender<ILoggingEvent> out;
        if (logFile == null) {
            ConsoleAppender<ILoggingEvent> c = new ConsoleAppender<>();
            c.setTarget("System.err");
            out = c;
        } else {
            try {
                Path dir = logFile.toAbsolutePath().getParent();
                if (dir != null) {
                    Files.createDirectories(dir);
                }
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("log-file " + logFile + ": " + e.getMessage());
            }
            FileAppender<ILoggingEvent> fa = new FileAppender<>();
            fa.setFile(logFile.toString());
            fa.setAppend(true);
            out = fa;
        }
        out.setName(APPENDER);
        out.setContext(ctx);
        out.setEncoder(enc);
        out.start();
        if (!out.isStarted()) {
            throw new IllegalArgumentException("log-file " + logFile + ": cannot be opened for writing");
        }
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(out);
        root.setLevel(l);
        for (VlogModule m : VlogModule.values()) {
            for (String name : m.loggers()) {
                ctx.getLogger(name).setLevel(l);
            }
        }
        // Chronicle's libraries announce themselves at info; only their warnings matter here.
        boolean quieter = l.levelInt > Level.WARN.levelInt;
        ctx.getLogger("net.openhft").setLevel(quieter ? l : Level.WARN);
        Vlog v = new Vlog(ctx, logFile);
        current = v;
        return v;
    }

    /**
     * The configured logging; before {@link #configure} (tests that build no daemon), Logback as
     * its own file set it up, logging to the console.
     */
    public static synchronized Vlog current() {
        if (current == null && LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            current = new Vlog(ctx, null);
        }
        return current;
    }

    /** Where lines go: {@code file} with a log file, else {@code console}. */
    public String destination() {
        return logFile == null ? "console" : "file";
    }

    /** The log file, or null. */
    public Path logFile() {
        return logFile;
    }

    /** A module's level. */
    public Level level(VlogModule m) {
        return context.getLogger(m.ovsName()).getEffectiveLevel();
    }

    /** Whether warnings of {@code m} are rate-limited (the default; {@code vlog/disable-rate-limit}). */
    public boolean rateLimited(VlogModule m) {
        return !rateLimitOff.contains(m);
    }

    /** {@code vlog/enable-rate-limit} and {@code vlog/disable-rate-limit}: every module when empty. */
    public String rateLimit(List<String> modules, boolean on) {
        List<VlogModule> ms = new ArrayList<>();
        for (String name : modules) {
            VlogModule m = VlogModule.byName(name);
            if (m == null) {
                throw new IllegalArgumentException("unknown module '" + name + "' (vlog/list shows them)");
            }
            ms.add(m);
        }
        for (VlogModule m : ms.isEmpty() ? List.of(VlogModule.values()) : ms) {
            if (on) {
                rateLimitOff.remove(m);
            } else {
                rateLimitOff.add(m);
            }
        }
        return "";
    }

    /**
     * {@code vlog/set SPEC}: OVS's words, separated by colons, commas or spaces, at most one of each
     * kind, in any order — a module (or {@code any}), a destination ({@code console}, {@code file},
     * {@code syslog}, {@code any}), a level ({@code off emer err warn info dbg}, or Logback's
     * {@code error debug trace}; {@code dbg} when none is given, as OVS). Returns what it did.
     *
     * @throws IllegalArgumentException naming the word it does not understand
     */
    public String set(String spec) {
        VlogModule module = null;
        boolean anyModule = false;
        String dest = null;
        Level level = null;
        for (String word : spec.split("[:, ]+")) {
            String w = word.toLowerCase(Locale.ROOT);
            if (w.isEmpty()) {
                continue;
            }
            if (w.equals("pattern") || w.equals("facility")) {
                throw new IllegalArgumentException("vlog/set: " + word + " is not supported (jvswitch's line layout"
                        + " is fixed and it does not log to syslog)");
            }
            Level lv = level(w);
            VlogModule m = VlogModule.byName(w);
            if (lv != null) {
                level = once(level, lv, "level", word);
            } else if (w.equals("console") || w.equals("file") || w.equals("syslog")) {
                dest = once(dest, w, "destination", word);
            } else if (m != null) {
                module = once(module, m, "module", word);
            } else if (w.equals("any")) {
                if (module == null && !anyModule) {
                    anyModule = true;
                } else if (dest == null) {
                    dest = "any";
                } else {
                    throw new IllegalArgumentException("vlog/set: 'any' given too many times");
                }
            } else {
                throw new IllegalArgumentException("vlog/set: unknown module, destination or level '" + word
                        + "' (vlog/list shows the modules; levels: off, emer, err, warn, info, dbg)");
            }
        }
        Level to = level == null ? Level.DEBUG : level;
        if (dest != null && !dest.equals("any") && !dest.equals(destination())) {
            return "jvswitchd logs to its " + destination() + " only: nothing changed for " + dest;
        }
        if (module == null) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(to);
            for (VlogModule m : VlogModule.values()) {
                apply(m, to);
            }
            return "";
        }
        apply(module, to);
        return "";
    }

    private void apply(VlogModule m, Level to) {
        for (String name : m.loggers()) {
            context.getLogger(name).setLevel(to);
        }
    }

    private static <T> T once(T have, T value, String kind, String word) {
        if (have != null) {
            throw new IllegalArgumentException("vlog/set: more than one " + kind + " ('" + word + "')");
        }
        return value;
    }

    /** The Logback level of an OVS or Logback level word, or null. */
    static Level level(String w) {
        return switch (w) {
            case "off" -> Level.OFF;
            case "emer", "err", "error" -> Level.ERROR;
            case "warn" -> Level.WARN;
            case "info" -> Level.INFO;
            case "dbg", "debug" -> Level.DEBUG;
            case "trace" -> Level.TRACE;
            default -> null;
        };
    }

    /** OVS's name of a level, as {@code vlog/list} prints it. */
    static String ovsLevel(Level l) {
        if (l.levelInt >= Level.OFF.levelInt) {
            return "OFF";
        }
        if (l.levelInt >= Level.ERROR.levelInt) {
            return "ERR";
        }
        if (l.levelInt >= Level.WARN.levelInt) {
            return "WARN";
        }
        if (l.levelInt >= Level.INFO.levelInt) {
            return "INFO";
        }
        return l.levelInt >= Level.DEBUG.levelInt ? "DBG" : "TRACE";
    }

    /** {@code vlog/list}: OVS's layout (console, syslog, file), one module a line. */
    public String list() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-24s %-10s %-10s %s%n", "", "console", "syslog", "file"));
        sb.append(String.format(Locale.ROOT, "%-24s %-10s %-10s %s%n", "", "-------", "------", "------"));
        for (VlogModule m : VlogModule.values()) {
            String l = ovsLevel(level(m));
            boolean file = logFile != null;
            sb.append(String.format(Locale.ROOT, "%-24s %-10s %-10s %s%n", m.ovsName(), file ? "OFF" : l, "OFF",
                    file ? l : "OFF"));
        }
        sb.append('\n').append(logFile == null ? "Logging to stderr (no log-file configured)."
                : "Logging to " + logFile + ".").append('\n');
        return sb.toString();
    }

    /** {@code vlog/list --json}: module → level name, logger names, rate limit. */
    public Map<String, Object> listData() {
        Map<String, Object> modules = new LinkedHashMap<>();
        for (VlogModule m : VlogModule.values()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("level", ovsLevel(level(m)).toLowerCase(Locale.ROOT));
            one.put("loggers", m.loggers());
            one.put("rateLimited", rateLimited(m));
            modules.put(m.ovsName(), one);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("destination", destination());
        out.put("logFile", logFile == null ? null : logFile.toString());
        out.put("modules", modules);
        return out;
    }

    /**
     * {@code vlog/reopen}: closes the log file and opens it again by name, so that after
     * logrotate moved it the daemon writes to a new file (as OVS's vlog/reopen).
     *
     * @throws IllegalStateException when there is no log file or it cannot be opened again
     */
    public String reopen() {
        if (logFile == null) {
            throw new IllegalStateException("vlog/reopen: no log file (jvswitchd logs to stderr; set control.log-file)");
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (!(root.getAppender(APPENDER) instanceof FileAppender<ILoggingEvent> fa)) {
            throw new IllegalStateException("vlog/reopen: the log file appender is missing");
        }
        try {
            Path dir = logFile.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("vlog/reopen: " + logFile + ": " + e.getMessage());
        }
        // stop() closes the stream under the appender's lock; start() opens the file by name again.
        fa.stop();
        fa.start();
        if (!fa.isStarted()) {
            throw new IllegalStateException("vlog/reopen: cannot open " + logFile);
        }
        return "";
    }
}
