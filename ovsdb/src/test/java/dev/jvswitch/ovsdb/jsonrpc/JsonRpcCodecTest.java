package dev.jvswitch.ovsdb.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;

class JsonRpcCodecTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static JsonRpcCodec.Reader reader(String text) throws IOException {
        return new JsonRpcCodec.Reader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsBackToBackMessagesWithNothingBetweenThem() throws Exception {
        JsonRpcCodec.Reader r = reader("{\"id\":1,\"result\":{\"a\":1},\"error\":null}"
                + "{\"method\":\"update\",\"params\":[null,{}],\"id\":null}\n"
                + "{\"method\":\"echo\",\"params\":[],\"id\":\"echo\"}");
        JsonRpcMessage a = r.next();
        assertThat(a.kind()).isEqualTo(JsonRpcMessage.Kind.RESPONSE);
        assertThat(a.id().asLong()).isEqualTo(1);
        assertThat(a.failed()).isFalse();
        assertThat(a.result().get("a").asInt()).isEqualTo(1);
        JsonRpcMessage b = r.next();
        assertThat(b.kind()).isEqualTo(JsonRpcMessage.Kind.NOTIFICATION);
        assertThat(b.method()).isEqualTo("update");
        JsonRpcMessage c = r.next();
        assertThat(c.kind()).isEqualTo(JsonRpcMessage.Kind.REQUEST);
        assertThat(c.id().asText()).isEqualTo("echo");
        assertThat(r.next()).isNull();
    }

    @Test
    void aMessageSplitAcrossReadsIsReadWhole() throws Exception {
        byte[] bytes = "{\"method\":\"list-commands\",\"params\":[\"x\"],\"id\":7}".getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new InputStream() {
            private int i;

            @Override
            public int read() {
                return i < bytes.length ? bytes[i++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[i++];
                return 1;
            }
        };
        JsonRpcMessage m = new JsonRpcCodec.Reader(trickle).next();
        assertThat(m.method()).isEqualTo("list-commands");
        assertThat(m.params().get(0).asText()).isEqualTo("x");
    }

    @Test
    void errorsAreResponsesThatFailed() throws Exception {
        JsonRpcMessage m = reader("{\"id\":3,\"result\":null,\"error\":\"unknown method\"}").next();
        assertThat(m.failed()).isTrue();
        assertThat(m.error().asText()).isEqualTo("unknown method");
    }

    @Test
    void encodesEachKindAsRfc7047Shows() {
        String req = new String(JsonRpcCodec.encode(JsonRpcMessage.request("echo", F.arrayNode().add("x"),
                LongNode.valueOf(5))), StandardCharsets.UTF_8);
        assertThat(req).isEqualTo("{\"method\":\"echo\",\"params\":[\"x\"],\"id\":5}");
        String note = new String(JsonRpcCodec.encode(JsonRpcMessage.notification("update", F.arrayNode())),
                StandardCharsets.UTF_8);
        assertThat(note).isEqualTo("{\"method\":\"update\",\"params\":[],\"id\":null}");
        String ok = new String(JsonRpcCodec.encode(JsonRpcMessage.response(LongNode.valueOf(5),
                TextNode.valueOf("done\n"))), StandardCharsets.UTF_8);
        assertThat(ok).isEqualTo("{\"result\":\"done\\n\",\"error\":null,\"id\":5}");
        String err = new String(JsonRpcCodec.encode(JsonRpcMessage.errorResponse(LongNode.valueOf(5),
                TextNode.valueOf("no"))), StandardCharsets.UTF_8);
        assertThat(err).isEqualTo("{\"result\":null,\"error\":\"no\",\"id\":5}");
    }

    @Test
    void roundTripsThroughTheWire() throws Exception {
        JsonRpcMessage m = JsonRpcMessage.request("transact", F.arrayNode().add("Open_vSwitch")
                .add(F.objectNode().put("op", "select")), LongNode.valueOf(42));
        JsonRpcMessage back = reader(new String(JsonRpcCodec.encode(m), StandardCharsets.UTF_8)).next();
        assertThat(back.toJson().toString()).isEqualTo(m.toJson().toString());
        assertThat(back.kind()).isEqualTo(m.kind());
    }

    @Test
    void refusesWhatIsNotAMessage() throws Exception {
        assertThatThrownBy(() -> reader("[1,2]").next()).isInstanceOf(JsonRpcException.class)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> reader("{\"method\":1,\"params\":[]}").next())
                .hasMessageContaining("\"method\" must be a string");
        assertThatThrownBy(() -> reader("{\"method\":\"m\",\"params\":{}}").next())
                .hasMessageContaining("\"params\" must be an array");
        assertThatThrownBy(() -> reader("{\"id\":1}").next()).hasMessageContaining("neither a request nor a response");
        assertThatThrownBy(() -> reader("{\"method\":").next()).isInstanceOf(JsonRpcException.class);
    }

    @Test
    void boundsNesting() {
        String deep = "{\"method\":\"m\",\"params\":" + "[".repeat(200) + "]".repeat(200) + ",\"id\":1}";
        assertThatThrownBy(() -> reader(deep).next()).isInstanceOf(JsonRpcException.class)
                .hasMessageContaining("not JSON");
    }

    @Test
    void targetsAreUnixOrTcp() {
        assertThat(JsonRpcConnection.address("unix:/run/openvswitch/db.sock").toString())
                .contains("/run/openvswitch/db.sock");
        assertThat(JsonRpcConnection.address("tcp:127.0.0.1:6640").toString()).contains("6640");
        assertThat(JsonRpcConnection.address("tcp:[::1]:6640").toString()).contains("6640");
        for (String bad : new String[] {"ssl:1.2.3.4:6640", "unix:", "tcp:127.0.0.1", "tcp:1.2.3.4:0", "x"}) {
            assertThatThrownBy(() -> JsonRpcConnection.address(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unix:PATH or tcp:IP:PORT");
        }
    }
}
