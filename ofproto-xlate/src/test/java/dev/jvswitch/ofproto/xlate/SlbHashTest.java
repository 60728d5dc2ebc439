package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.jvswitch.flowcache.key.Addresses;

/**
 * The balance-slb bucket of a MAC and VLAN is OVS's: the values are what {@code ovs-appctl
 * bond/hash MAC VLAN BASIS} answered (OVS 3.1, Debian 12).
 */
class SlbHashTest {
    @ParameterizedTest
    @CsvSource({
        "02:00:00:00:01:00, 0, 0, 194",
        "02:00:00:00:01:01, 0, 0, 133",
        "02:00:00:00:01:05, 10, 0, 185",
        "00:00:00:00:00:0a, 0, 0, 60",
        "aa:bb:cc:dd:ee:ff, 4095, 0, 11",
        "02:00:00:00:7a:03, 0, 7, 201",
        "fe:dc:ba:98:76:54, 100, 123456789, 137",
    })
    void bucketsAreOvss(String mac, int vlan, int basis, int bucket) {
        assertThat(SlbHash.bucket(Addresses.parseMac(mac), vlan, basis)).isEqualTo(bucket);
    }
}
