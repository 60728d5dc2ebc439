package dev.jvswitch.ofproto.revalidate;

import java.util.Arrays;

/**
 * The revalidators' state at one moment, as {@code upcall/show} prints it and as the control
 * socket returns it in JSON ({@link #toJson()}). Counters count since the pool started.
 *
 * @param flows               megaflows installed now
 * @param flowsAvg            OVS's running average: {@code (avg + flows) / 2} at each dump
 * @param flowsMax            most megaflows seen at the start of a dump
 * @param flowLimit           the dynamic flow limit in force
 * @param dumpDurationMs      duration of the last dump
 * @param dumpDurationMsMax   longest dump
 * @param keysPerRevalidator  ukeys each revalidator handled in the last dump
 * @param dumps               dumps done
 * @param revalidated         flows translated again after a table change
 * @param modified            flows given new actions
 * @param deletedIdle         flows deleted for being idle longer than {@code max-idle}
 * @param deletedLimit        flows deleted because of the flow limit
 * @param deletedRevalidation flows deleted because their translation changed beyond their mask
 * @param errors              exceptions the slow path threw while revalidating or crediting
 * @param revalSeq            the tables' current version
 * @param revalidatedSeq      the version the datapath is known to forward by
 */
public record RevalidatorSnapshot(
        long flows,
        long flowsAvg,
        long flowsMax,
        int flowLimit,
        long dumpDurationMs,
        long dumpDurationMsMax,
        int[] keysPerRevalidator,
        long dumps,
        long revalidated,
        long modified,
        long deletedIdle,
        long deletedLimit,
        long deletedRevalidation,
        long errors,
        long revalSeq,
        long revalidatedSeq) {

    public RevalidatorSnapshot {
        keysPerRevalidator = keysPerRevalidator.clone();
    }

    @Override
    public int[] keysPerRevalidator() {
        return keysPerRevalidator.clone();
    }

    /** One flat JSON object, keys as the record's components. */
    public String toJson() {
        StringBuilder sb = new StringBuilder(512).append('{');
        field(sb, "flows", flows).append(',');
        field(sb, "flowsAvg", flowsAvg).append(',');
        field(sb, "flowsMax", flowsMax).append(',');
        field(sb, "flowLimit", flowLimit).append(',');
        field(sb, "dumpDurationMs", dumpDurationMs).append(',');
        field(sb, "dumpDurationMsMax", dumpDurationMsMax).append(',');
        sb.append("\"keysPerRevalidator\":[");
        for (int i = 0; i < keysPerRevalidator.length; i++) {
            sb.append(i == 0 ? "" : ",").append(keysPerRevalidator[i]);
        }
        sb.append("],");
        field(sb, "dumps", dumps).append(',');
        field(sb, "revalidated", revalidated).append(',');
        field(sb, "modified", modified).append(',');
        field(sb, "deletedIdle", deletedIdle).append(',');
        field(sb, "deletedLimit", deletedLimit).append(',');
        field(sb, "deletedRevalidation", deletedRevalidation).append(',');
        field(sb, "errors", errors).append(',');
        field(sb, "revalSeq", revalSeq).append(',');
        field(sb, "revalidatedSeq", revalidatedSeq);
        return sb.append('}').toString();
    }

    private static StringBuilder field(StringBuilder sb, String name, long value) {
        return sb.append('"').append(name).append("\":").append(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RevalidatorSnapshot s && toJson().equals(s.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return "RevalidatorSnapshot" + toJson() + " keys=" + Arrays.toString(keysPerRevalidator);
    }
}
