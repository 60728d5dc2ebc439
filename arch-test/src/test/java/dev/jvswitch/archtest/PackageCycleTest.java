package dev.jvswitch.archtest;

import org.junit.jupiter.api.Test;

/**
 * No package cycle in main code: a package names a stage, and stages depend one way. A cycle is
 * a design question (which stage owns the shared type?), not something to live with.
 */
class PackageCycleTest {
    @Test
    void mainCodeHasNoPackageCycle() {
        Rules.noPackageCycles("dev.jvswitch").check(MainClasses.all());
    }
}
