package dev.jvswitch.testkit.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The unixctl reply reader: string fields with JSON escapes, null and absent fields. */
class UnixctlTest {
    @Test
    void readsResultAndErrorFields() {
        String reply = "{\"id\":3,\"error\":null,\"result\":\"Flow: a\\nMegaflow: \\\"x\\\" \\u0041\\\\\"}";
        assertThat(Unixctl.field(reply, "result")).isEqualTo("Flow: a\nMegaflow: \"x\" A\\");
        assertThat(Unixctl.field(reply, "error")).isNull();
        assertThat(Unixctl.field(reply, "missing")).isNull();
        assertThat(Unixctl.field("{\"error\": \"no such command\",\"result\":null}", "error"))
                .isEqualTo("no such command");
    }
}
