package dev.jvswitch.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * Sets of CPU numbers: the CPUs this process may run on (what {@code pmd-cpu-mask} may name), the
 * kernel's list syntax ({@code 0-3,6}) and OVS's hex masks ({@code 0x6}).
 *
 * <p>Stateless.
 */
public final class CpuSet {
    /** Largest CPU number accepted (the PMD pinning code's limit). */
    public static final int MAX_CPU = 1023;

    private CpuSet() {
    }

    /** The first reading of {@link #allowed()}; the daemon narrows its own threads later. */
    private static volatile BitSet firstAllowed;

    /**
     * CPUs this process may use: {@code Cpus_allowed_list} of {@code /proc/self/status} (which
     * honours cgroup cpusets and taskset), else 0..availableProcessors-1. Read once: a daemon that
     * keeps its other threads off its busy PMDs' CPUs still lets a reload name those CPUs.
     */
    public static BitSet allowed() {
        BitSet first = firstAllowed;
        if (first == null) {
            first = readAllowed();
            firstAllowed = first;
        }
        return (BitSet) first.clone();
    }

    private static BitSet readAllowed() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    BitSet set = parseList(line.substring(line.indexOf(':') + 1).trim());
                    if (set != null && !set.isEmpty()) {
                        return set;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux or no procfs: fall back to the JVM's count.
        }
        BitSet set = new BitSet();
        set.set(0, Runtime.getRuntime().availableProcessors());
        return set;
    }

    /** Parses {@code 0-3,6}; null if it is not such a list. */
    public static BitSet parseList(String text) {
        BitSet set = new BitSet();
        if (text.isEmpty()) {
            return set;
        }
        for (String part : text.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            try {
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1));
                if (lo < 0 || hi < lo || hi > MAX_CPU) {
                    return null;
                }
                set.set(lo, hi + 1);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return set;
    }

    /** Formats as the kernel does: {@code 0-3,6}. */
    public static String format(BitSet set) {
        StringBuilder sb = new StringBuilder();
        for (int lo = set.nextSetBit(0); lo >= 0; ) {
            int hi = set.nextClearBit(lo) - 1;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(lo);
            if (hi > lo) {
                sb.append('-').append(hi);
            }
            lo = set.nextSetBit(hi + 1);
        }
        return sb.toString();
    }

    /**
     * Parses an OVS CPU mask: hex digits with an optional {@code 0x}, bit N set for CPU N (as in
     * {@code ovs-vsctl set Open_vSwitch . other_config:pmd-cpu-mask=0x6}). Null if it is not one.
     */
    public static BitSet parseMask(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("0x")) {
            t = t.substring(2);
        }
        if (t.isEmpty() || t.length() > (MAX_CPU + 1) / 4) {
            return null;
        }
        BitSet set = new BitSet();
        for (int i = 0; i < t.length(); i++) {
            int digit = Character.digit(t.charAt(t.length() - 1 - i), 16);
            if (digit < 0) {
                return null;
            }
            for (int b = 0; b < 4; b++) {
                if ((digit & (1 << b)) != 0) {
                    set.set(i * 4 + b);
                }
            }
        }
        return set;
    }
}
