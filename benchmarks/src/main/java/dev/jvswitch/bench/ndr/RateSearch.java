package dev.jvswitch.bench.ndr;

import java.util.ArrayList;
import java.util.List;

/**
 * The throughput search of RFC 2544 section 26.1, in the shape FD.io CSIT's MLRsearch gives it:
 * one series of fixed-length trials serves every loss target at once (NDR: no loss; PDR: loss at
 * most 0.5 %), each target's interval narrowed by bisection until it is within the precision.
 *
 * <ol>
 *   <li>The first trial runs at the maximum rate (the generator's ceiling). A target it meets is
 *       done: the switch forwards all the generator can send, and the result says so.</li>
 *   <li>Otherwise the next rate is what got through at the maximum ({@code offered x (1 - loss)}),
 *       the forwarding rate's first estimate, which usually lands close above or below NDR.</li>
 *   <li>Then, for the strictest target not yet within precision, the middle of its interval.</li>
 * </ol>
 *
 * A target's lower bound is the highest rate that met it; its upper bound the lowest rate above
 * that which did not. A trial's rate is the rate it offered, not the one asked for: a generator
 * that fell short of the rate (a busy machine) proved only what it sent. Both are computed from every trial so far, so a noisy trial that contradicts
 * an earlier one moves the bounds rather than breaking them. The search ends when every target's
 * interval is narrower than {@code precision} of its upper bound or than {@code minStepPps}, or
 * after {@code maxTrials}.
 *
 * <p><b>Thread-safety:</b> one caller; the trial runs on the caller's thread.
 */
public final class RateSearch {
    /** Runs one trial at a rate and says what was offered and lost. */
    @FunctionalInterface
    public interface Trial {
        Outcome run(double pps) throws Exception;
    }

    /** One trial's outcome: the rate asked for, the rate offered, and the share lost (0..1). */
    public record Outcome(double pps, double offeredPps, double lossRatio) {
    }

    /**
     * One target's result.
     *
     * @param lossRatio        the target (0 for NDR)
     * @param pps              the highest rate offered that met it (0 if none did)
     * @param upperPps         the lowest rate above it that did not (NaN: none; the generator bound it)
     * @param generatorBound   the maximum rate met it: the switch may forward more than the generator sends
     */
    public record Bound(double lossRatio, double pps, double upperPps, boolean generatorBound) {
    }

    /** The search's outcome: per target, and every trial in order. */
    public record Result(List<Bound> bounds, List<Outcome> trials) {
    }

    private final double maxPps;
    private final double[] targets;
    private final double precision;
    private final double minStepPps;
    private final int maxTrials;

    /**
     * @param maxPps     the rate of the first trial, the highest tried
     * @param targets    loss ratios to search for, e.g. {@code 0, 0.005}
     * @param precision  an interval narrower than this share of its upper bound is done, e.g. 0.01
     * @param minStepPps an interval narrower than this many frames per second is done
     * @param maxTrials  at most this many trials
     */
    public RateSearch(double maxPps, double[] targets, double precision, double minStepPps, int maxTrials) {
        if (!(maxPps > 0) || targets.length == 0 || !(precision > 0) || maxTrials < 1) {
            throw new IllegalArgumentException("search needs a positive maximum rate, a target, a precision and a trial");
        }
        this.maxPps = maxPps;
        this.targets = targets.clone();
        java.util.Arrays.sort(this.targets);
        this.precision = precision;
        this.minStepPps = minStepPps;
        this.maxTrials = maxTrials;
    }

    /** Runs trials until every target is found within precision, or the trials run out. */
    public Result run(Trial trial) throws Exception {
        List<Outcome> trials = new ArrayList<>();
        trials.add(trial.run(maxPps));
        Outcome first = trials.get(0);
        if (first.lossRatio() > targets[0] && trials.size() < maxTrials) {
            double estimate = first.offeredPps() * (1 - first.lossRatio());
            if (estimate >= minStepPps && estimate < maxPps * (1 - precision)) {
                trials.add(trial.run(estimate));
            }
        }
        while (trials.size() < maxTrials) {
            double next = Double.NaN;
            for (double target : targets) {
                double lo = lower(trials, target);
                double hi = upper(trials, target, lo);
                if (!done(lo, hi)) {
                    next = (lo + hi) / 2;
                    break;
                }
            }
            if (Double.isNaN(next)) {
                break;
            }
            trials.add(trial.run(next));
        }
        List<Bound> bounds = new ArrayList<>();
        for (double target : targets) {
            double lo = lower(trials, target);
            double hi = upper(trials, target, lo);
            bounds.add(new Bound(target, lo, hi == Double.POSITIVE_INFINITY ? Double.NaN : hi,
                    hi == Double.POSITIVE_INFINITY && lo >= maxPps * (1 - precision)));
        }
        return new Result(bounds, trials);
    }

    private boolean done(double lo, double hi) {
        if (hi == Double.POSITIVE_INFINITY) {
            return true;
        }
        double width = hi - lo;
        return width <= precision * hi || width <= minStepPps;
    }

    /** The highest rate tried that met {@code target}, or 0. */
    static double lower(List<Outcome> trials, double target) {
        double lo = 0;
        for (Outcome o : trials) {
            if (o.lossRatio() <= target) {
                lo = Math.max(lo, o.offeredPps());
            }
        }
        return lo;
    }

    /** The lowest rate above {@code lo} that did not meet {@code target}, or +infinity. */
    static double upper(List<Outcome> trials, double target, double lo) {
        double hi = Double.POSITIVE_INFINITY;
        for (Outcome o : trials) {
            if (o.lossRatio() > target && o.offeredPps() > lo) {
                hi = Math.min(hi, o.offeredPps());
            }
        }
        return hi;
    }
}
