package dev.jvswitch.vswitchd.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The control socket's wire format and the JSON underneath it. */
class ControlProtocolTest {
    @Test
    void requestRoundTrip() {
        String line = ControlProtocol.request("ofctl/add-flow", List.of("br0", "in_port=1,actions=output:2"));
        assertThat(line).isEqualTo("{\"command\":\"ofctl/add-flow\",\"args\":[\"br0\",\"in_port=1,actions=output:2\"]}");
        ControlProtocol.Request r = ControlProtocol.parseRequest(line);
        assertThat(r.command()).isEqualTo("ofctl/add-flow");
        assertThat(r.args()).containsExactly("br0", "in_port=1,actions=output:2");
    }

    @Test
    void responsesAreOneLineWhateverTheText() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("flows", List.of(1L, 2.5, true, "x\"y"));
        data.put("none", null);
        String line = ControlProtocol.success(Reply.of("two\nlines\ttab", data));
        assertThat(line).doesNotContain("\n");
        ControlProtocol.Response r = ControlProtocol.parseResponse(line);
        assertThat(r.ok()).isTrue();
        assertThat(r.output()).isEqualTo("two\nlines\ttab\n");
        assertThat(r.data()).isEqualTo(data);
        ControlProtocol.Response f = ControlProtocol.parseResponse(ControlProtocol.failure("no such bridge", false));
        assertThat(f.ok()).isFalse();
        assertThat(f.error()).isEqualTo("no such bridge");
        assertThat(f.usage()).isFalse();
    }

    @Test
    void malformedRequestsAreRejectedWithAReason() {
        assertThatThrownBy(() -> ControlProtocol.parseRequest("[1]"))
                .hasMessage("a request is {\"command\": NAME, \"args\": [...]}");
        assertThatThrownBy(() -> ControlProtocol.parseRequest("{\"command\":\"x\",\"args\":[1]}"))
                .hasMessage("request args must be strings");
        assertThatThrownBy(() -> ControlProtocol.parseRequest("{\"command\":\"x\"")).hasMessage(
                "bad JSON at character 15: expected '}'");
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessage("bad JSON at character 4: unexpected text after the document");
    }

    @Test
    void nestingIsBoundedBeforeTheStackIs() {
        String deep = "[".repeat(20_000) + "]".repeat(20_000);
        assertThatThrownBy(() -> Json.parse(deep)).hasMessage("bad JSON at character " + (Json.MAX_DEPTH + 1)
                + ": nested deeper than " + Json.MAX_DEPTH + " levels");
        assertThatThrownBy(() -> ControlProtocol.parseRequest("{\"a\":".repeat(10_000)))
                .hasMessageContaining("nested deeper than");
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.parse(ok)).isInstanceOf(List.class);
        assertThatThrownBy(() -> Json.parse("[" + "9".repeat(100_000) + "]")).hasMessage("bad JSON at character"
                + " 100002: a number of more than 64 characters");
        // Siblings do not add up: depth is nesting, not count.
        assertThat(Json.parse("[" + "[],".repeat(10_000) + "[]]")).asList().hasSize(10_001);
    }

    @Property(tries = 300)
    void anyStringSurvivesTheWire(@ForAll String text) {
        String line = Json.write(Map.of("s", text));
        assertThat(line).doesNotContain("\n");
        assertThat(Json.parse(line)).isEqualTo(Map.of("s", text));
    }
}
