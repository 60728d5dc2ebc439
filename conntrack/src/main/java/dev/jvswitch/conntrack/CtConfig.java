package dev.jvswitch.conntrack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.EnumMap;
import java.util.Map;

/**
 * The tunables of a connection tracker: {@code ct-maxconns} (OVS's default 3 000 000), TCP
 * sequence checking (on by default), the default timeout policy, and per-zone timeout policies
 * (OVS's {@code CT_Zone} rows with a {@code timeout_policy}).
 *
 * <p><b>Timeout policies.</b> A connection's expiry is set from the policy of its zone each time
 * a packet updates it, so a changed policy applies to existing connections from their next packet
 * (as OVS looks the policy up by the connection's policy id at every update). A zone policy sets
 * some classes; the others come from the default policy, which itself starts as OVS's defaults.
 *
 * <p><b>Thread-safety:</b> written by the control thread ({@code dpctl/ct-set-maxconns},
 * {@code ct-enable/disable-tcp-seq-chk}, a config reload), read by PMDs. The scalars are volatile;
 * a zone's policy is an immutable array published with a release store, so a PMD sees a whole old
 * or a whole new policy; a default-policy change stores one long at a time. A PMD may apply the
 * old value to a packet racing with the change, as in OVS.
 */
public final class CtConfig {
    /** OVS's default {@code ct-maxconns}. */
    public static final int DEFAULT_MAX_CONNS = 3_000_000;

    private static final VarHandle ZONE = MethodHandles.arrayElementVarHandle(long[][].class);
    private static final CtTimeouts[] CLASSES = CtTimeouts.values();

    private volatile int maxConns = DEFAULT_MAX_CONNS;
    private volatile boolean tcpSeqChk = true;
    private final long[] timeoutMs = new long[CLASSES.length];
    /** Per zone: ms per class, -1 where the zone's policy does not set it; null without a policy. */
    private final long[][] zoneTimeoutMs = new long[ConnTable.ZONES][];
    /**
     * The id of each zone's policy (OVS's timeout policy id, what the datapath's
     * {@code ct(commit,timeout=N)} names): the lowest id not in use when the zone gets a policy,
     * from 1 (0 is OVS's default policy), kept while the zone has one. Written under this
     * object's monitor, read by translation through {@link #timeoutPolicyId}.
     */
    private final java.util.concurrent.ConcurrentHashMap<Integer, Integer> policyIds =
            new java.util.concurrent.ConcurrentHashMap<>();

    public CtConfig() {
        for (CtTimeouts t : CLASSES) {
            timeoutMs[t.ordinal()] = t.defaultMs();
        }
    }

    public int maxConns() {
        return maxConns;
    }

    public void maxConns(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxconns must not be negative: " + n);
        }
        maxConns = n;
    }

    public boolean tcpSeqChk() {
        return tcpSeqChk;
    }

    public void tcpSeqChk(boolean on) {
        tcpSeqChk = on;
    }

    /** The default policy's timeout of class {@code t}. */
    public long timeoutMs(CtTimeouts t) {
        return timeoutMs[t.ordinal()];
    }

    /** The timeout of class {@code t} for a connection of {@code zone}: its zone's policy, else the default. */
    long timeoutMs(int zone, CtTimeouts t) {
        long[] z = (long[]) ZONE.getAcquire(zoneTimeoutMs, zone);
        if (z != null) {
            long v = z[t.ordinal()];
            if (v >= 0) {
                return v;
            }
        }
        return timeoutMs[t.ordinal()];
    }

    /** Sets one timeout of the default policy (applies from the next packet of each connection). */
    public void timeoutSeconds(CtTimeouts t, int seconds) {
        timeoutMs[t.ordinal()] = checkSeconds(t, seconds) * 1000L;
    }

    /** Resets the default policy to OVS's defaults. */
    public void resetDefaultPolicy() {
        for (CtTimeouts t : CLASSES) {
            timeoutMs[t.ordinal()] = t.defaultMs();
        }
    }

    /**
     * Gives {@code zone} the policy {@code seconds} (classes it leaves out follow the default
     * policy); an empty map removes the zone's policy.
     */
    public synchronized void zonePolicy(int zone, Map<CtTimeouts, Integer> seconds) {
        checkZone(zone);
        if (seconds.isEmpty()) {
            ZONE.setRelease(zoneTimeoutMs, zone, (long[]) null);
            policyIds.remove(zone);
            return;
        }
        if (!policyIds.containsKey(zone)) {
            java.util.Set<Integer> used = new java.util.HashSet<>(policyIds.values());
            int id = 1;
            while (used.contains(id)) {
                id++;
            }
            policyIds.put(zone, id);
        }
        long[] p = new long[CLASSES.length];
        java.util.Arrays.fill(p, -1);
        for (Map.Entry<CtTimeouts, Integer> e : seconds.entrySet()) {
            p[e.getKey().ordinal()] = checkSeconds(e.getKey(), e.getValue()) * 1000L;
        }
        ZONE.setRelease(zoneTimeoutMs, zone, p);
    }

    /**
     * The id of {@code zone}'s timeout policy, or -1 when the zone follows the default policy:
     * what a committing {@code ct} in that zone names as {@code timeout=N} in the datapath, as
     * OVS's userspace datapath names a policy by its id.
     */
    public long timeoutPolicyId(int zone) {
        Integer id = policyIds.get(zone);
        return id == null ? -1 : id;
    }

    /** The classes {@code zone}'s own policy sets, in seconds (empty: none). */
    public Map<CtTimeouts, Integer> zonePolicy(int zone) {
        checkZone(zone);
        long[] z = (long[]) ZONE.getAcquire(zoneTimeoutMs, zone);
        Map<CtTimeouts, Integer> out = new EnumMap<>(CtTimeouts.class);
        if (z != null) {
            for (CtTimeouts t : CLASSES) {
                if (z[t.ordinal()] >= 0) {
                    out.put(t, (int) (z[t.ordinal()] / 1000));
                }
            }
        }
        return out;
    }

    private static int checkSeconds(CtTimeouts t, int seconds) {
        if (seconds <= 0 || seconds > CtTimeouts.MAX_SECONDS) {
            throw new IllegalArgumentException("timeout " + t.key() + " must be within 1.." + CtTimeouts.MAX_SECONDS
                    + " s: " + seconds);
        }
        return seconds;
    }

    private static void checkZone(int zone) {
        if (zone < 0 || zone >= ConnTable.ZONES) {
            throw new IllegalArgumentException("zone must be in 0..65535: " + zone);
        }
    }
}
