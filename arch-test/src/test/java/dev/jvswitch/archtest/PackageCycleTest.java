package dev.jvswitch.archtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;

/**
 * No package cycle in main code: a package names a stage, and stages depend one way. A cycle is
 * a design question (which stage owns the shared type?), not something to live with.
 */
class PackageCycleTest {
    /**
     * TEMPORARY freeze list: the package cycles that existed when this test was written, each
     * being removed by work in flight. Dependencies inside one group are ignored, so a frozen
     * cycle may shrink but not grow or draw in another package; a cycle anywhere else fails.
     * {@link #everyFrozenCycleStillExists} fails once a group has no cycle left, so the list only
     * shrinks: delete a group when its cycle is gone, and this constant once it is empty.
     */
    static final List<Set<String>> KNOWN_CYCLES = List.of(
            // pmd-core: the PMD agent, its command queue and its rx queue poller.
            Set.of("dev.jvswitch.pmd", "dev.jvswitch.pmd.command", "dev.jvswitch.pmd.rx"),
            // ofproto-xlate: the façade, the flow-mod model and translation reach into each other.
            Set.of("dev.jvswitch.ofproto", "dev.jvswitch.ofproto.action", "dev.jvswitch.ofproto.bridge",
                    "dev.jvswitch.ofproto.group", "dev.jvswitch.ofproto.normal", "dev.jvswitch.ofproto.syntax",
                    "dev.jvswitch.ofproto.table", "dev.jvswitch.ofproto.upcall", "dev.jvswitch.ofproto.xlate"));

    @Test
    void mainCodeHasNoPackageCycle() {
        Rules.noPackageCycles("dev.jvswitch", KNOWN_CYCLES).check(MainClasses.all());
    }

    @Test
    void everyFrozenCycleStillExists() {
        JavaClasses all = MainClasses.all();
        for (Set<String> group : KNOWN_CYCLES) {
            JavaClasses inGroup = all.that(JavaClass.Predicates.resideInAnyPackage(group.toArray(new String[0])));
            assertThat(Rules.noPackageCycles("dev.jvswitch", List.of()).evaluate(inGroup).hasViolation())
                    .as("the frozen cycle among %s is gone: remove it from %s.KNOWN_CYCLES", group,
                            PackageCycleTest.class.getSimpleName())
                    .isTrue();
        }
    }
}
