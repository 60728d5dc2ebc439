package dev.jvswitch.bench.cli;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * What stopped or could have stopped this JVM's threads between two points: the garbage
 * collectors (their names, as {@link GarbageCollectorMXBean} gives them, and how many collections
 * they ran and for how long) and the safepoints. A figure is cumulative from JVM start as
 * {@link #now()} reads it; {@link #since} gives the interval between two readings.
 *
 * <p>Safepoint figures come from HotSpot's internal runtime bean, which the JVM shows only with
 * {@code --add-exports java.management/sun.management=ALL-UNNAMED} (the launchers' JVM flags
 * carry it); without it they are -1.
 *
 * @param collectors   the collectors' bean names, e.g. {@code G1 Young Generation}
 * @param gcEvents     collections, all collectors together
 * @param gcMs         their accumulated time as the beans report it (for G1, pause time)
 * @param safepoints   safepoints reached, -1 if unknown
 * @param safepointMs  time threads were stopped at them (sync included), -1 if unknown
 */
public record JvmPauses(List<String> collectors, long gcEvents, long gcMs, long safepoints, long safepointMs) {
    private static final Object RUNTIME;
    private static final Method SAFEPOINT_COUNT;
    private static final Method SAFEPOINT_TIME;

    static {
        Object runtime = null;
        Method count = null;
        Method time = null;
        try {
            Class<?> helper = Class.forName("sun.management.ManagementFactoryHelper");
            runtime = helper.getMethod("getHotspotRuntimeMBean").invoke(null);
            Class<?> bean = Class.forName("sun.management.HotspotRuntimeMBean");
            count = bean.getMethod("getSafepointCount");
            time = bean.getMethod("getTotalSafepointTime");
            count.invoke(runtime);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // Not exported to us (or not HotSpot): the safepoint figures stay unknown.
            runtime = null;
        }
        RUNTIME = runtime;
        SAFEPOINT_COUNT = count;
        SAFEPOINT_TIME = time;
    }

    public JvmPauses {
        collectors = List.copyOf(collectors);
    }

    /** The totals since the JVM started. */
    public static JvmPauses now() {
        List<String> names = new ArrayList<>();
        long events = 0;
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            names.add(gc.getName());
            events += Math.max(0, gc.getCollectionCount());
            ms += Math.max(0, gc.getCollectionTime());
        }
        long safepoints = -1;
        long safepointMs = -1;
        if (RUNTIME != null) {
            try {
                safepoints = (Long) SAFEPOINT_COUNT.invoke(RUNTIME);
                safepointMs = (Long) SAFEPOINT_TIME.invoke(RUNTIME);
            } catch (ReflectiveOperationException | RuntimeException e) {
                safepoints = -1;
                safepointMs = -1;
            }
        }
        return new JvmPauses(names, events, ms, safepoints, safepointMs);
    }

    /** What happened after {@code earlier} up to this reading. */
    public JvmPauses since(JvmPauses earlier) {
        boolean known = safepoints >= 0 && earlier.safepoints >= 0;
        return new JvmPauses(collectors, gcEvents - earlier.gcEvents, gcMs - earlier.gcMs,
                known ? safepoints - earlier.safepoints : -1, known ? safepointMs - earlier.safepointMs : -1);
    }

    /** {@code gc} (collectors, events, ms) and {@code safepoints} (count, ms; null if unknown). */
    public Json toJson() {
        List<String> quoted = new ArrayList<>();
        collectors.forEach(c -> quoted.add(Json.quote(c)));
        Json sp = new Json().put("count", safepoints).put("ms", safepointMs);
        return new Json()
                .putRaw("gc", new Json().putRaw("collectors", Json.array(quoted)).put("events", gcEvents)
                        .put("ms", gcMs).toString())
                .putRaw("safepoints", safepoints < 0 ? "null" : sp.toString());
    }
}
