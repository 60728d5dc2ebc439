package dev.jvswitch.testkit.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The literals the frame builder takes: parsed exactly, never resolved as host names. */
class AddressTextTest {
    @Test
    void macIpv4AndIpv6Literals() {
        assertThat(AddressText.parseMac("00:00:5e:00:53:0A")).isEqualTo(0x00005e00530aL);
        assertThat(AddressText.parseIpv4("192.0.2.255")).isEqualTo(0xc00002ff);
        assertThat(AddressText.parseIpv6("2001:db8::1")).containsExactly(0x20010db800000000L, 1L);
        assertThat(AddressText.parseIpv6("::")).containsExactly(0L, 0L);
    }

    @Test
    void ipv4MappedIpv6KeepsItsMappedForm() {
        assertThat(AddressText.parseIpv6("::ffff:10.0.0.1")).containsExactly(0L, 0x0000ffff0a000001L);
    }

    @Test
    void badLiteralsAreQuotedAndNamesAreNotLookedUp() {
        assertThatThrownBy(() -> AddressText.parseMac("00:11")).hasMessage("bad MAC address '00:11'");
        assertThatThrownBy(() -> AddressText.parseMac("00:11:22:33:44:1ff")).hasMessage("bad MAC address '00:11:22:33:44:1ff'");
        assertThatThrownBy(() -> AddressText.parseIpv4("10.0.0.256")).hasMessage("bad IPv4 address '10.0.0.256'");
        assertThatThrownBy(() -> AddressText.parseIpv4("10.0.0")).hasMessage("bad IPv4 address '10.0.0'");
        assertThatThrownBy(() -> AddressText.parseIpv6("2001:db8::g")).hasMessage("bad IPv6 address '2001:db8::g'");
        assertThatThrownBy(() -> AddressText.parseIpv6("localhost")).hasMessage("bad IPv6 address 'localhost'");
        assertThatThrownBy(() -> AddressText.parseIpv6("dead:beef:::1")).hasMessage("bad IPv6 address 'dead:beef:::1'");
    }
}
