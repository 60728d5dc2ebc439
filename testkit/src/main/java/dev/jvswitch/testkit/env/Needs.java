package dev.jvswitch.testkit.env;

import org.opentest4j.TestAbortedException;

/**
 * What a test needs from the machine (root, a tool, a kernel module, a peer such as OVS), and
 * what happens when it is missing: on a developer's box the test is skipped and says why; where
 * {@value #REQUIRE_VARIABLE} is set (CI's {@code .ci/run} sets it, after installing every peer)
 * the test fails instead, so a root-only or peer test can never pass CI by quietly not running.
 *
 * <p>Use it where a test would otherwise call {@code Assumptions.assumeTrue}:
 * {@code Needs.that(Topology.available(), "root, ip and python3")}.
 */
public final class Needs {
    /** The environment variable that turns a missing need into a failure. */
    public static final String REQUIRE_VARIABLE = "JVS_REQUIRE_PEERS";

    private Needs() {
    }

    /** Whether missing needs fail the test rather than skip it. */
    public static boolean required() {
        return required(System.getenv(REQUIRE_VARIABLE));
    }

    static boolean required(String value) {
        return value != null && !value.isBlank() && !value.equals("0");
    }

    /**
     * Returns when {@code present}; else skips the test (or fails it where needs are required),
     * naming what it needs.
     */
    public static void that(boolean present, String what) {
        check(present, what, required());
    }

    /**
     * Returns when {@code whyMissing} is null; else skips or fails as {@link #that}, with the
     * reason a probe gave (e.g. an oracle's "ovs-vswitchd not found").
     */
    public static void none(String whyMissing) {
        check(whyMissing == null, whyMissing, required());
    }

    static void check(boolean present, String what, boolean required) {
        if (present) {
            return;
        }
        String message = "needs " + what;
        if (required) {
            throw new AssertionError(message + " (" + REQUIRE_VARIABLE + " is set: this machine must provide it)");
        }
        throw new TestAbortedException(message);
    }
}
