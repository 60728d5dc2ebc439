package dev.jvswitch.testkit.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** A missing need skips a test on a developer's box and fails it where CI requires peers. */
class NeedsTest {
    @Test
    void presentNeedPassesEitherWay() {
        assertThatCode(() -> Needs.check(true, "ip", false)).doesNotThrowAnyException();
        assertThatCode(() -> Needs.check(true, "ip", true)).doesNotThrowAnyException();
    }

    @Test
    void missingNeedSkipsUnlessRequired() {
        assertThatThrownBy(() -> Needs.check(false, "ovs-ofctl", false))
                .isInstanceOf(TestAbortedException.class).hasMessage("needs ovs-ofctl");
    }

    @Test
    void missingNeedFailsWhereRequired() {
        assertThatThrownBy(() -> Needs.check(false, "ovs-ofctl", true))
                .isInstanceOf(AssertionError.class)
                .hasMessage("needs ovs-ofctl (JVS_REQUIRE_PEERS is set: this machine must provide it)");
    }

    @Test
    void requiredByAnyValueButEmptyOrZero() {
        assertThat(Needs.required(null)).isFalse();
        assertThat(Needs.required("")).isFalse();
        assertThat(Needs.required("0")).isFalse();
        assertThat(Needs.required("1")).isTrue();
        assertThat(Needs.required("yes")).isTrue();
    }
}
