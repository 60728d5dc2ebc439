package dev.jvswitch.flowcache.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.testing.ParseHarness;
import dev.jvswitch.testkit.frame.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlowHashTest {
    private final ParseHarness harness = new ParseHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private int hash(byte[] frame) {
        return harness.parse(frame).rssHash();
    }

    @Test
    void onlyTheFiveTupleCounts() {
        int h = hash(Frames.udp4().ports(1, 2).build());
        assertThat(hash(Frames.udp4().ports(1, 2).ttl(3).tos(4).ipId(9).src("00:00:00:00:00:09").vlan(5).size(200)
                .build())).isEqualTo(h);
        assertThat(hash(Frames.udp4().ports(1, 3).build())).isNotEqualTo(h);
        assertThat(hash(Frames.udp4().ports(2, 1).build())).isNotEqualTo(h);
        assertThat(hash(Frames.tcp4().ports(1, 2).build())).isNotEqualTo(h);
        assertThat(hash(Frames.udp4().ip("10.0.0.1", "10.0.0.3").ports(1, 2).build())).isNotEqualTo(h);
    }

    @Test
    void metadataDoesNotChangeTheRssHashButRecircChangesTheEmcHash() {
        FlowKey k = harness.parse(Frames.udp4().build()).key();
        int h = FlowHash.hash5(k);
        k.set(FlowField.IN_PORT, 7).set(FlowField.RECIRC_ID, 3).set(FlowField.DP_HASH, 5);
        assertThat(FlowHash.hash5(k)).isEqualTo(h);
        assertThat(FlowHash.emcHash(h, 0)).isEqualTo(h);
        assertThat(FlowHash.emcHash(h, 3)).isNotEqualTo(h).isNotEqualTo(FlowHash.emcHash(h, 4));
    }

    private static FlowKey udp4Key(long src, long dst, long tpSrc, long tpDst) {
        return new FlowKey().set(FlowField.ETH_TYPE, FlowKey.ETH_TYPE_IPV4).set(FlowField.NW_PROTO, FlowKey.IPPROTO_UDP)
                .set(FlowField.NW_SRC, src).set(FlowField.NW_DST, dst).set(FlowField.TP_SRC, tpSrc)
                .set(FlowField.TP_DST, tpDst);
    }

    /** Both EMC slot indices of a default-sized cache: the hash's low 26 bits. */
    private static int slots(FlowKey k) {
        return FlowHash.ipv4SlotHash(k) & (1 << 26) - 1;
    }

    @Test
    void everyBitOfTheFiveTupleMovesAnIpv4KeysSlots() {
        long src = 0x0a000001L;
        long dst = 0x0a000102L;
        int base = slots(udp4Key(src, dst, 1024, 4789));
        for (int bit = 0; bit < 32; bit++) {
            assertThat(slots(udp4Key(src ^ 1L << bit, dst, 1024, 4789))).as("nw_src bit %d", bit).isNotEqualTo(base);
            assertThat(slots(udp4Key(src, dst ^ 1L << bit, 1024, 4789))).as("nw_dst bit %d", bit).isNotEqualTo(base);
        }
        for (int bit = 0; bit < 16; bit++) {
            assertThat(slots(udp4Key(src, dst, 1024 ^ 1 << bit, 4789))).as("tp_src bit %d", bit).isNotEqualTo(base);
            assertThat(slots(udp4Key(src, dst, 1024, 4789 ^ 1 << bit))).as("tp_dst bit %d", bit).isNotEqualTo(base);
        }
        FlowKey tcp = udp4Key(src, dst, 1024, 4789).set(FlowField.NW_PROTO, FlowKey.IPPROTO_TCP);
        assertThat(slots(tcp)).isNotEqualTo(base);
    }

    @Test
    void sequentialIpv4FlowsSpreadOverTheEmcAsRandomOnesWould() {
        int entries = 1 << 13;
        java.util.BitSet used = new java.util.BitSet(entries);
        // 8192 flows as a test generator makes them: consecutive ports to consecutive addresses.
        for (int i = 0; i < entries; i++) {
            used.set(FlowHash.ipv4SlotHash(udp4Key(0x0a000000L | i >>> 8, 0x0a010001L, 1024 + (i & 0xff), 4789))
                    & entries - 1);
        }
        // Random hashes fill 1 - 1/e of the slots (5178); a weak mix fills far fewer.
        assertThat(used.cardinality()).isGreaterThan(5000);
    }

    @Test
    void everyFragmentOfADatagramHashesAlike() {
        int first4 = hash(Frames.udp4().ipId(1).fragment(0, true).ports(1, 2).build());
        int later4 = hash(Frames.udp4().ipId(1).fragment(1480, false).payload(new byte[8]).build());
        assertThat(first4).isEqualTo(later4).isNotEqualTo(hash(Frames.udp4().ports(1, 2).build()));
        int first6 = hash(Frames.udp6().fragment(0, true).ports(1, 2).build());
        int later6 = hash(Frames.udp6().fragment(1448, false).payload(new byte[8]).build());
        assertThat(first6).isEqualTo(later6);
    }

    @Test
    void ipv6FoldsEveryAddressWord() {
        int h = hash(Frames.udp6().ip("2001:db8::1", "2001:db8::2").build());
        assertThat(hash(Frames.udp6().ip("2001:db8::3", "2001:db8::2").build())).isNotEqualTo(h);
        assertThat(hash(Frames.udp6().ip("2001:db9::1", "2001:db8::2").build())).isNotEqualTo(h);
        assertThat(hash(Frames.udp6().ip("2001:db8::1", "2001:db8::4").build())).isNotEqualTo(h);
        assertThat(hash(Frames.udp6().ip("2001:db8::1", "2002:db8::2").build())).isNotEqualTo(h);
    }

    @Test
    void nonIpHashesEthernetAddressesAndType() {
        int h = hash(Frames.arp().build());
        assertThat(hash(Frames.arp().ip("1.2.3.4", "5.6.7.8").build())).isEqualTo(h);
        assertThat(hash(Frames.arp().src("00:00:00:00:00:07").build())).isNotEqualTo(h);
        assertThat(hash(Frames.arp().dst("00:00:00:00:00:07").build())).isNotEqualTo(h);
        assertThat(hash(Frames.arp().ethType(FlowKey.ETH_TYPE_RARP).build())).isNotEqualTo(h);
    }

    @Test
    void theDpHashOfAPacketIsDerivedFromItsRssHash() {
        int rss = hash(Frames.tcp4().ports(1000, 80).build());
        assertThat(FlowHash.dpHash(rss, 0)).isEqualTo(FlowHash.dpHash(rss, 0)).isNotEqualTo(FlowHash.dpHash(rss, 1));
    }
}
