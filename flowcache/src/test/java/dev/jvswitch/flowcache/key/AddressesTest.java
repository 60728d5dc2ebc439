package dev.jvswitch.flowcache.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.junit.jupiter.api.Test;

class AddressesTest {

    @Test
    void macAndIpv4() {
        assertThat(Addresses.parseMac("00:00:5E:00:53:01")).isEqualTo(0x00005e005301L);
        assertThat(Addresses.mac(0xffffffffffffL)).isEqualTo("ff:ff:ff:ff:ff:ff");
        assertThat(Addresses.parseIpv4("192.0.2.255")).isEqualTo(0xc00002ff);
        assertThat(Addresses.ipv4(0xc00002ff)).isEqualTo("192.0.2.255");
        assertThat(Addresses.ipv4Prefix(24)).isEqualTo(0xffffff00);
        assertThat(Addresses.ipv4Prefix(0)).isZero();
        assertThatThrownBy(() -> Addresses.parseIpv4("1.2.3.256")).hasMessage("bad IPv4 address '1.2.3.256'");
        assertThatThrownBy(() -> Addresses.parseMac("00:00:5e:00:53:0g")).hasMessage("bad MAC address '00:00:5e:00:53:0g'");
    }

    /** Expected forms are glibc inet_ntop's (RFC 5952 compression, IPv4-mapped tail). */
    @ParameterizedTest
    @CsvSource({
        "2001:db8::1, 2001:db8::1",
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "::, ::",
        "::1, ::1",
        "1::, 1::",
        "fe80::1:0:0:1, fe80::1:0:0:1",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "1:0:2:0:3:0:4:0, 1:0:2:0:3:0:4:0",
        "::ffff:192.0.2.1, ::ffff:192.0.2.1",
        "::192.0.2.1, ::192.0.2.1",
        "ff02::1:ff00:2, ff02::1:ff00:2",
        "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
    })
    void ipv6RoundTrip(String in, String out) {
        long[] a = Addresses.parseIpv6(in);
        assertThat(Addresses.ipv6(a[0], a[1])).isEqualTo(out);
        long[] again = Addresses.parseIpv6(out);
        assertThat(again).containsExactly(a);
    }

    @ParameterizedTest
    @ValueSource(strings = {":", ":::", "1:2", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "1:", ":1", "g::", "::1.2.3"})
    void badIpv6IsRejectedByName(String text) {
        assertThatThrownBy(() -> Addresses.parseIpv6(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void ipv6Prefixes() {
        assertThat(Addresses.ipv6PrefixHigh(64)).isEqualTo(-1L);
        assertThat(Addresses.ipv6PrefixLow(64)).isZero();
        assertThat(Addresses.ipv6PrefixHigh(48)).isEqualTo(0xffffffffffff0000L);
        assertThat(Addresses.ipv6PrefixLow(120)).isEqualTo(0xffffffffffffff00L);
        assertThat(Addresses.ipv6PrefixLow(128)).isEqualTo(-1L);
    }
}
