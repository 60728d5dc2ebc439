package dev.jvswitch.ovsdb.data;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * How an {@code update2} {@code modify} changes a set or a map column (ovsdb-server(7),
 * "update2 notification"): the difference is a set whose elements are each added if absent and
 * removed if present; for a map, a map whose pairs each add a missing key, remove a key present
 * with the same value, and change a key present with another value.
 *
 * <p>Stateless; the results are new nodes (the old ones are never modified).
 */
final class Diffs {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Diffs() {
    }

    static JsonNode set(JsonNode old, JsonNode diff) {
        List<JsonNode> out = new ArrayList<>(Datum.set(old));
        for (JsonNode e : Datum.set(diff)) {
            if (!out.remove(e)) {
                out.add(e);
            }
        }
        ArrayNode atoms = F.arrayNode();
        out.forEach(atoms::add);
        return F.arrayNode().add("set").add(atoms);
    }

    static JsonNode map(JsonNode old, JsonNode diff) {
        List<JsonNode[]> pairs = new ArrayList<>();
        for (JsonNode p : pairs(old)) {
            pairs.add(new JsonNode[] {p.get(0), p.get(1)});
        }
        for (JsonNode d : pairs(diff)) {
            int at = -1;
            for (int i = 0; i < pairs.size() && at < 0; i++) {
                if (pairs.get(i)[0].equals(d.get(0))) {
                    at = i;
                }
            }
            if (at < 0) {
                pairs.add(new JsonNode[] {d.get(0), d.get(1)});
            } else if (pairs.get(at)[1].equals(d.get(1))) {
                pairs.remove(at);
            } else {
                pairs.get(at)[1] = d.get(1);
            }
        }
        ArrayNode out = F.arrayNode();
        for (JsonNode[] p : pairs) {
            out.add(F.arrayNode().add(p[0]).add(p[1]));
        }
        return F.arrayNode().add("map").add(out);
    }

    private static List<JsonNode> pairs(JsonNode map) {
        List<JsonNode> out = new ArrayList<>();
        if (map != null && map.isArray() && map.size() == 2 && "map".equals(map.get(0).asText()) && map.get(1).isArray()) {
            for (JsonNode p : map.get(1)) {
                if (p.isArray() && p.size() == 2) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
