package dev.jvswitch.bench.ndr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The throughput search against simulated switches whose loss curve is known. */
class RateSearchTest {
    private static final double[] NDR_PDR = {0, 0.005};

    /** A switch that forwards up to {@code capacity} and drops the rest. */
    private static RateSearch.Trial capped(double capacity) {
        return pps -> new RateSearch.Outcome(pps, pps, pps <= capacity ? 0 : (pps - capacity) / pps);
    }

    @ParameterizedTest
    @ValueSource(doubles = {12_345, 250_000, 699_999, 1_000_000, 1_450_000})
    void findsNdrAndPdrOfACappedSwitchWithinThePrecision(double capacity) throws Exception {
        RateSearch.Result r = new RateSearch(1_500_000, NDR_PDR, 0.01, 100, 30).run(capped(capacity));
        RateSearch.Bound ndr = r.bounds().get(0);
        RateSearch.Bound pdr = r.bounds().get(1);
        assertThat(ndr.pps()).isBetween(capacity * 0.99, capacity);
        assertThat(ndr.upperPps()).isGreaterThan(capacity);
        // Loss (r - C) / r <= 0.005 up to C / 0.995.
        double pdrTrue = Math.min(1_500_000, capacity / 0.995);
        assertThat(pdr.pps()).isBetween(pdrTrue * 0.99, pdrTrue);
        assertThat(ndr.generatorBound()).isFalse();
        assertThat(r.trials().size()).isLessThanOrEqualTo(30);
        // Every trial at the maximum or below it.
        assertThat(r.trials()).allSatisfy(t -> assertThat(t.pps()).isLessThanOrEqualTo(1_500_000));
    }

    @Test
    void theForwardingEstimateAfterTheFirstTrialSavesTrials() throws Exception {
        RateSearch.Result r = new RateSearch(1_000_000, new double[] {0}, 0.01, 100, 30).run(capped(400_000));
        assertThat(r.trials().get(0).pps()).isEqualTo(1_000_000);
        assertThat(r.trials().get(1).pps()).isEqualTo(400_000);
        // The estimate met the target exactly; bisection above it needs log2(600k / 4k) trials, not log2(1M / 4k).
        assertThat(r.trials().size()).isLessThanOrEqualTo(2 + 8);
        assertThat(r.bounds().get(0).pps()).isEqualTo(400_000);
    }

    @Test
    void aSwitchFasterThanTheGeneratorIsReportedAsGeneratorBound() throws Exception {
        RateSearch.Result r = new RateSearch(800_000, NDR_PDR, 0.01, 100, 30).run(capped(5_000_000));
        assertThat(r.trials()).hasSize(1);
        for (RateSearch.Bound b : r.bounds()) {
            assertThat(b.pps()).isEqualTo(800_000);
            assertThat(b.generatorBound()).isTrue();
            assertThat(b.upperPps()).isNaN();
        }
    }

    @Test
    void aGeneratorThatFallsShortProvesOnlyTheRateItOffered() throws Exception {
        // Offers 60 % of what is asked: a pass at "1 Mpps" is a pass at 0.6.
        RateSearch.Result r = new RateSearch(1_000_000, NDR_PDR, 0.01, 100, 30)
                .run(pps -> new RateSearch.Outcome(pps, 0.6 * pps, 0));
        assertThat(r.bounds().get(0).pps()).isEqualTo(600_000);
        assertThat(r.bounds().get(0).generatorBound()).isFalse();
    }

    @Test
    void aSwitchThatLosesEverythingHasNoThroughput() throws Exception {
        RateSearch.Result r = new RateSearch(1_000_000, NDR_PDR, 0.01, 1_000, 40)
                .run(pps -> new RateSearch.Outcome(pps, pps, 1.0));
        assertThat(r.bounds().get(0).pps()).isZero();
        assertThat(r.bounds().get(0).upperPps()).isLessThanOrEqualTo(1_000);
        assertThat(r.trials().size()).isLessThan(40);
    }

    @Test
    void theTrialBudgetBoundsTheSearch() throws Exception {
        int[] trials = new int[1];
        RateSearch.Result r = new RateSearch(1_000_000, NDR_PDR, 1e-9, 0, 7).run(pps -> {
            trials[0]++;
            return capped(333_333).run(pps);
        });
        assertThat(trials[0]).isEqualTo(7);
        assertThat(r.trials()).hasSize(7);
        assertThat(r.bounds().get(0).pps()).isLessThanOrEqualTo(333_333);
    }

    @Test
    void aNoisySwitchStillEndsWithOrderedBoundsNearItsCapacity() throws Exception {
        Random random = new Random(11);
        double capacity = 600_000;
        // Now and then a trial loses a frame below capacity (a hiccup of the machine).
        RateSearch.Result r = new RateSearch(1_000_000, NDR_PDR, 0.01, 100, 40).run(pps -> {
            double loss = pps <= capacity ? (random.nextInt(6) == 0 ? 1e-6 : 0) : (pps - capacity) / pps;
            return new RateSearch.Outcome(pps, pps, loss);
        });
        RateSearch.Bound ndr = r.bounds().get(0);
        assertThat(ndr.pps()).isLessThanOrEqualTo(capacity).isGreaterThan(capacity * 0.5);
        assertThat(ndr.upperPps()).isGreaterThan(ndr.pps());
        assertThat(r.bounds().get(1).pps()).isGreaterThanOrEqualTo(ndr.pps());
    }
}
