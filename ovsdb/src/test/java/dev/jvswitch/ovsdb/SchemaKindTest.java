package dev.jvswitch.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.jvswitch.ovsdb.data.Replica;

/** Column kinds from schema types, as update2's differences need them. */
class SchemaKindTest {
    private static final ObjectMapper M = new ObjectMapper();

    private static Replica.Kind kind(String type) throws Exception {
        return Schema.kind(M.readTree(type.replace('\'', '"')));
    }

    @Test
    void kindsOfTheStockSchemasTypes() throws Exception {
        assertThat(kind("'string'")).isEqualTo(Replica.Kind.SCALAR);
        assertThat(kind("{'key':'integer'}")).isEqualTo(Replica.Kind.SCALAR);
        // An optional column's update2 "difference" is its new value, as ovsdb-server sends it
        // (ovsdb_datum_diff replaces every type of at most one element).
        assertThat(kind("{'key':{'type':'integer','minInteger':0,'maxInteger':4095},'min':0,'max':1}"))
                .as("Port.tag").isEqualTo(Replica.Kind.SCALAR);
        assertThat(kind("{'key':{'type':'integer','minInteger':0,'maxInteger':4095},'min':0,'max':4096}"))
                .as("Port.trunks").isEqualTo(Replica.Kind.SET);
        assertThat(kind("{'key':{'type':'uuid','refTable':'Interface'},'min':1,'max':'unlimited'}"))
                .as("Port.interfaces").isEqualTo(Replica.Kind.SET);
        assertThat(kind("{'key':'string','value':'string','min':0,'max':'unlimited'}")).isEqualTo(Replica.Kind.MAP);
    }
}
