package dev.jvswitch.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The exact text of the tools' {@code --json} objects: number forms (6 significant digits),
 * order, nesting, escapes, nulls. Captured from the builder before it moved onto Jackson.
 */
class JsonGoldenTest {
    @Test
    void fieldsKeepTheirOrderAndForms() {
        Json inner = new Json().put("a", 1).put("b", 0.5);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("z", "1");
        settings.put("y", "two");
        String json = new Json().put("n", 42L).put("d", 1234567.0).put("small", 2.14778e-6).put("nan", Double.NaN)
                .put("t", true).put("s", "x\"y\\z\n\t\u0001é").put("none", (String) null).putRaw("inner", inner.toString())
                .putRaw("list", Json.array(List.of(inner.toString(), "1"))).putRaw("settings", Json.object(settings))
                .putRaw("missing", null).toString();
        assertThat(json).isEqualTo("{\"n\":42,\"d\":1.23457e+06,\"small\":2.14778e-06,\"nan\":null,\"t\":true,"
                + "\"s\":\"x\\\"y\\\\z\\n\\t\\u0001é\",\"none\":null,\"inner\":{\"a\":1,\"b\":0.500000},"
                + "\"list\":[{\"a\":1,\"b\":0.500000},1],\"settings\":{\"z\":\"1\",\"y\":\"two\"},\"missing\":null}");
    }

    @Test
    void mergeAddsInOrderAndReplacesInPlace() {
        Json a = new Json().put("x", 1).put("y", 2);
        Json b = new Json().put("y", 3).put("z", 4);
        assertThat(a.merge(b).toString()).isEqualTo("{\"x\":1,\"y\":3,\"z\":4}");
        assertThat(new Json().toString()).isEqualTo("{}");
        assertThat(Json.array(List.of())).isEqualTo("[]");
    }

    @Test
    void readsANumberOfAReport() {
        String doc = new Json().put("mpps", 14.1535).put("megaflowsMax", 1000).put("dut", "ovs").toString();
        assertThat(Json.readNumber(doc, "mpps")).isEqualTo(14.1535);
        assertThat(Json.readNumber(doc, "megaflowsMax")).isEqualTo(1000.0);
        assertThat(Json.readNumber(doc, "dut")).isNaN();
        assertThat(Json.readNumber(doc, "absent")).isNaN();
    }
}
