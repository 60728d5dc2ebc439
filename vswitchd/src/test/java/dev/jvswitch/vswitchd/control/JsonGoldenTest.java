package dev.jvswitch.vswitchd.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The exact bytes the control protocol writes, as scripts read them: field order, number forms,
 * escapes, nulls. Captured from the encoder before it moved onto Jackson; any change here is a
 * change of a user contract.
 */
class JsonGoldenTest {
    @Test
    void numbersKeepTheirForms() {
        List<Object> numbers = Arrays.asList(0, -7, Long.MAX_VALUE, (short) 3, 2.5, 1e10, 1e-7, 0.1f, 100.0,
                Double.NaN, Double.POSITIVE_INFINITY, (byte) 5, new BigDecimal("1.25"), null);
        assertThat(Json.write(numbers)).isEqualTo(
                "[0,-7,9223372036854775807,3,2.5,1.0E10,1.0E-7,0.10000000149011612,100.0,null,null,5.0,1.25,null]");
    }

    @Test
    void mapsKeepTheirOrderAndKeys() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("z", true);
        m.put("a", false);
        m.put(7, "seven");
        m.put("list", List.of());
        m.put("map", Map.of());
        m.put("none", null);
        m.put("obj", new StringBuilder("as text"));
        assertThat(Json.write(m)).isEqualTo(
                "{\"z\":true,\"a\":false,\"7\":\"seven\",\"list\":[],\"map\":{},\"none\":null,\"obj\":\"as text\"}");
    }

    @Test
    void stringsEscapeAsBefore() {
        String s = "q\"b\\s/n\nr\rt\tb\bf\fz\u0000e\u001f\u007f é \u2028 \ud83d\ude00";
        assertThat(Json.write(s)).isEqualTo(
                "\"q\\\"b\\\\s/n\\nr\\rt\\tb\\u0008f\\u000cz\\u0000e\\u001f\u007f é \u2028 \ud83d\ude00\"");
        assertThat(Json.parse(Json.write(s))).isEqualTo(s);
    }

    @Test
    void parsedValuesHaveTheirJavaTypes() {
        Object v = Json.parse(" {\"i\": 42, \"n\": -1, \"d\": 2.5, \"e\": 1e3, \"s\": \"\\u0041\\/\", \"t\": true,"
                + " \"f\": false, \"z\": null, \"l\": [1, [], {}]} ");
        assertThat(v).isInstanceOf(LinkedHashMap.class);
        Map<?, ?> m = (Map<?, ?>) v;
        assertThat(new ArrayList<Object>(m.keySet())).containsExactly("i", "n", "d", "e", "s", "t", "f", "z", "l");
        assertThat(m.get("i")).isEqualTo(42L);
        assertThat(m.get("n")).isEqualTo(-1L);
        assertThat(m.get("d")).isEqualTo(2.5);
        assertThat(m.get("e")).isEqualTo(1000.0);
        assertThat(m.get("s")).isEqualTo("A/");
        assertThat(m.get("t")).isEqualTo(true);
        assertThat(m.get("f")).isEqualTo(false);
        assertThat(m.containsKey("z")).isTrue();
        assertThat(m.get("z")).isNull();
        assertThat(m.get("l")).isInstanceOf(ArrayList.class).isEqualTo(List.of(1L, List.of(), Map.of()));
    }

    @Test
    void aControlReplyIsByteForByteTheSame() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("pmd", 1);
        data.put("rx_packets", 123456789L);
        data.put("avg_cycles", 2.0 / 3);
        data.put("ports", List.of("a", "b"));
        assertThat(ControlProtocol.success(Reply.of("pmd thread numa_id 0\n  packets: 1", data))).isEqualTo(
                "{\"ok\":true,\"output\":\"pmd thread numa_id 0\\n  packets: 1\\n\",\"data\":{\"pmd\":1,"
                + "\"rx_packets\":123456789,\"avg_cycles\":0.6666666666666666,\"ports\":[\"a\",\"b\"]}}");
        assertThat(ControlProtocol.failure("x", true)).isEqualTo("{\"ok\":false,\"error\":\"x\",\"usage\":true}");
    }
}
