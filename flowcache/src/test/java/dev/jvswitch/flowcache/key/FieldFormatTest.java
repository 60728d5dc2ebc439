package dev.jvswitch.flowcache.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one table of flag names, as the ofproto printers and parsers read it. */
class FieldFormatTest {
    @Test
    void tcpAndTunnelFlagNamesAreOvsSpellings() {
        assertThat(FieldFormat.TCP_FLAGS.flagCount()).isEqualTo(12);
        assertThat(FieldFormat.TCP_FLAGS.flagName(0)).isEqualTo("fin");
        assertThat(FieldFormat.TCP_FLAGS.flagName(4)).isEqualTo("ack");
        assertThat(FieldFormat.TCP_FLAGS.flagName(12)).isNull();
        assertThat(FieldFormat.TCP_FLAGS.flagBit("syn")).isEqualTo(1);
        assertThat(FieldFormat.TCP_FLAGS.flagBit("SYN")).isEqualTo(-1);
        assertThat(FieldFormat.TUNNEL_FLAGS.flagBit("key")).isEqualTo(3);
        assertThatThrownBy(() -> FieldFormat.HEX.flagName(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maskedFlagsAsOvsFormatsThem() {
        long all = FlowField.TCP_FLAGS.valueMask();
        assertThat(FieldFormat.TCP_FLAGS.appendMaskedFlags(new StringBuilder(), 0x12, all, all)).hasToString("syn|ack");
        assertThat(FieldFormat.TCP_FLAGS.appendMaskedFlags(new StringBuilder(), 0x02, 0x12, all))
                .hasToString("+syn-ack");
        assertThat(FieldFormat.TCP_FLAGS.appendMaskedFlags(new StringBuilder(), 0, 0, all)).hasToString("0/0");
    }
}
