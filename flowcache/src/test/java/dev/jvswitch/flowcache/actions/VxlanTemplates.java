package dev.jvswitch.flowcache.actions;

import java.util.HexFormat;

/** VXLAN header templates for tests, written out byte by byte. */
final class VxlanTemplates {
    private VxlanTemplates() {
    }

    /**
     * eth aa:55:00:00:00:02 &lt;- aa:55:00:00:00:01, IPv4 10.0.0.1 -&gt; 10.0.0.2 ttl 64 DF,
     * UDP 0 -&gt; 4789, VXLAN flags 0x0c000004 vni 0 (OVS's test-suite template).
     */
    static byte[] ipv4() {
        return HexFormat.of().parseHex(
                "aa5500000002" + "aa5500000001" + "0800"
                + "4500" + "0000" + "0000" + "4000" + "4011" + "0000" + "0a000001" + "0a000002"
                + "0000" + "12b5" + "0000" + "0000"
                + "0c000004" + "00000000");
    }

    /** VXLAN over IPv6 2001:cafe::88 -&gt; 2001:cafe::92, vni 0x7b, UDP csum 0xffff (OVS's test suite). */
    static byte[] ipv6() {
        return HexFormat.of().parseHex(
                "f8bc124434b6" + "aa55aa550000" + "86dd"
                + "60000000" + "0000" + "11" + "40"
                + "2001cafe000000000000000000000088" + "2001cafe000000000000000000000092"
                + "0000" + "12b5" + "0000" + "ffff"
                + "08000000" + "00007b00");
    }
}
