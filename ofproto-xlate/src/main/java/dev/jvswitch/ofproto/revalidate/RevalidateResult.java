package dev.jvswitch.ofproto.revalidate;

import java.util.Objects;

import dev.jvswitch.flowcache.actions.DpActions;

/**
 * The verdict of {@link Revalidation#revalidate} on one installed megaflow: keep it, give it new
 * actions (same mask), or delete it.
 *
 * @param verdict what to do
 * @param actions the new program for {@link Verdict#MODIFY}, else {@code null}
 */
public record RevalidateResult(Verdict verdict, DpActions actions) {

    public enum Verdict { KEEP, MODIFY, DELETE }

    public static final RevalidateResult KEEP = new RevalidateResult(Verdict.KEEP, null);
    public static final RevalidateResult DELETE = new RevalidateResult(Verdict.DELETE, null);

    public RevalidateResult {
        Objects.requireNonNull(verdict, "verdict");
        if ((verdict == Verdict.MODIFY) != (actions != null)) {
            throw new IllegalArgumentException("revalidate: actions go with MODIFY and only with MODIFY");
        }
    }

    /** New actions for the flow, whose mask stays. */
    public static RevalidateResult modify(DpActions actions) {
        return new RevalidateResult(Verdict.MODIFY, Objects.requireNonNull(actions, "actions"));
    }
}
