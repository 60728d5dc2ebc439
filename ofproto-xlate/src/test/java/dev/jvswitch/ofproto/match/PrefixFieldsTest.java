package dev.jvswitch.ofproto.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowField;

/** A table's prefix fields: asked in OVS's order (a set sorted by name), and checked one by one. */
class PrefixFieldsTest {
    @Test
    void fieldsAreAskedInTheOrderOfTheirNamesSorted() {
        assertThat(PrefixFields.parse(List.of("nw_src", "nw_dst")).fields())
                .containsExactly(FlowField.NW_DST, FlowField.NW_SRC);
        assertThat(PrefixFields.parse(List.of("nw_dst", "ipv6_src", "ipv6_dst")).fields())
                .containsExactly(FlowField.IPV6_DST, FlowField.IPV6_SRC, FlowField.NW_DST);
        // By the name given: ip_src sorts before nw_dst, as OVS's database sorts the strings.
        assertThat(PrefixFields.parse(List.of("nw_dst", "ip_src")).fields())
                .containsExactly(FlowField.NW_SRC, FlowField.NW_DST);
        assertThat(PrefixFields.parse(List.of("nw_src", "nw_dst"))).isEqualTo(PrefixFields.DEFAULT);
        assertThat(PrefixFields.parse(List.of("none"))).isEqualTo(PrefixFields.NONE);
    }

    @Test
    void errorsNameTheFieldInTheOrderGiven() {
        assertThatThrownBy(() -> PrefixFields.parse(List.of("tp_src", "nw_dstt")))
                .hasMessageStartingWith("field 'tp_src' cannot be prefix-tracked");
        assertThatThrownBy(() -> PrefixFields.parse(List.of("nw_dst", "ip_dst")))
                .hasMessage("field 'ip_dst' is given twice");
        assertThatThrownBy(() -> PrefixFields.parse(List.of("nw_dst", "none")))
                .hasMessage("'none' must be the only prefix field");
        assertThatThrownBy(() -> PrefixFields.parse(List.of("nw_dst", "nw_src", "ipv6_dst", "ipv6_src")))
                .hasMessage("4 prefix fields; a table tracks at most 3");
    }
}
