package dev.jvswitch.pmd.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;

class DpMetersTest {
    private static DpMeter meter() {
        return new DpMeter(true, new long[] {1}, new long[] {1});
    }

    @Test
    void idsOnEitherSideOfAChunkBoundaryAreTheirOwn() {
        DpMeters meters = new DpMeters();
        int[] ids = {0, DpMeters.CHUNK - 1, DpMeters.CHUNK, DpActions.MAX_METERS - 1};
        DpMeter[] set = new DpMeter[ids.length];
        for (int i = 0; i < ids.length; i++) {
            set[i] = meter();
            meters.set(ids[i], set[i]);
        }
        for (int i = 0; i < ids.length; i++) {
            assertThat(meters.get(ids[i])).isSameAs(set[i]);
        }
        assertThat(meters.get(1)).isNull();
        assertThat(meters.get(5 * DpMeters.CHUNK)).as("a chunk never set").isNull();
        meters.delete(DpMeters.CHUNK);
        meters.delete(7 * DpMeters.CHUNK);
        assertThat(meters.get(DpMeters.CHUNK)).isNull();
        assertThat(meters.get(DpMeters.CHUNK - 1)).isSameAs(set[1]);
        DpMeter again = meter();
        meters.set(0, again);
        assertThat(meters.get(0)).isSameAs(again);
    }

    @Test
    void idsOutOfRangeAreNoneToReadAndRefusedToWrite() {
        DpMeters meters = new DpMeters();
        assertThat(meters.get(-1)).isNull();
        assertThat(meters.get(DpActions.MAX_METERS)).isNull();
        assertThatThrownBy(() -> meters.set(DpActions.MAX_METERS, meter())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> meters.delete(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
