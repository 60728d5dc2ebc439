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

    @Test
    void wideHexValuesAsOvsOfctlPrintsXxregAndCtLabel() {
        assertThat(FieldFormat.HEX.append(new StringBuilder(), 0, 0x100000000L)).hasToString("0x100000000");
        assertThat(FieldFormat.HEX.append(new StringBuilder(), 0x1, 0x2a)).hasToString("0x1000000000000002a");
        assertThat(FieldFormat.IPV6.append(new StringBuilder(), 0x20010db8L << 32, 1)).hasToString("2001:db8::1");
        assertThatThrownBy(() -> FieldFormat.MAC.append(new StringBuilder(), 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
