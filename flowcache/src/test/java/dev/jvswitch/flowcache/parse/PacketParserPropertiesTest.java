package dev.jvswitch.flowcache.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.jvswitch.flowcache.hash.FlowHash;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.testing.FrameGenerators;
import dev.jvswitch.flowcache.testing.ParseHarness;
import dev.jvswitch.flowcache.testing.ParseHarness.Parsed;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.testkit.frame.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * The parser never throws, never reads outside the packet and is deterministic, whatever the
 * bytes (design invariant 3).
 *
 * <p>"Never reads outside" is shown, not assumed: the frame sits in an mbuf whose slot after
 * {@code length} is filled with one marker byte, then another; if any parsed output (key words,
 * hashes, header offsets) differed between the two, the parser would have read a byte past the
 * end. Reads before the packet would hit the headroom, which is filled the same way by the
 * harness's reset, and the mbuf buffer's own bounds check stops reads outside the slot.
 */
class PacketParserPropertiesTest {
    private final ParseHarness harness = new ParseHarness();

    @AfterProperty
    void close() {
        harness.close();
    }

    @Provide
    Arbitrary<byte[]> validFrames() {
        return FrameGenerators.validFrames();
    }

    @Provide
    Arbitrary<byte[]> mutatedFrames() {
        return FrameGenerators.mutatedFrames();
    }

    @Property(tries = 1000)
    void randomBytesStayInsideTheFrame(@ForAll @Size(max = ParseHarness.DATA_ROOM) byte[] frame,
            @ForAll byte markerA, @ForAll byte markerB) {
        checkReadsOnlyTheFrame(harness, frame, frame.length, markerA, markerB);
    }

    @Property(tries = 3000)
    void mutatedFramesStayInsideTheFrame(@ForAll("mutatedFrames") byte[] frame, @ForAll byte markerA,
            @ForAll byte markerB) {
        checkReadsOnlyTheFrame(harness, frame, frame.length, markerA, markerB);
    }

    @Property(tries = 2000)
    void truncationNeverYieldsFieldsFromBeyondTheCut(@ForAll("validFrames") byte[] frame,
            @ForAll @IntRange(max = ParseHarness.DATA_ROOM) int cutSeed, @ForAll byte marker) {
        int cut = cutSeed % (frame.length + 1);
        Parsed full = harness.parse(frame, frame.length, (byte) 0);
        Parsed part = checkReadsOnlyTheFrame(harness, frame, cut, marker, (byte) ~marker);
        for (FlowField f : FlowField.values()) {
            if (f.isAlias()) {
                continue;
            }
            if (f.is128()) {
                long hi = part.key().getHigh(f);
                long lo = part.key().getLow(f);
                assertThat(hi == 0 && lo == 0 || hi == full.key().getHigh(f) && lo == full.key().getLow(f))
                        .as("%s after a cut at %d of %d", f.ovsName(), cut, frame.length).isTrue();
            } else {
                long v = part.key().get(f);
                boolean fromBeforeTheCut = v == 0 || v == full.key().get(f)
                        || f == FlowField.ETH_TYPE && FrameGenerators.isStandInEthType(v);
                assertThat(fromBeforeTheCut).as("%s=0x%x after a cut at %d of %d (full: 0x%x)", f.ovsName(), v, cut,
                        frame.length, full.key().get(f)).isTrue();
            }
        }
    }

    /**
     * The lookup's parse gives the same key, offsets and slot hash as the full one; it leaves an
     * IPv4 packet's RSS hash invalid (the PMD computes hash5 of the key on need) and sets any
     * other packet's, which it computed for the slot anyway.
     */
    @Property(tries = 500)
    void theLookupParseDiffersOnlyInTheRssHashItLeavesForLater(@ForAll("validFrames") byte[] frame) {
        Parsed full = harness.parse(frame);
        Parsed lookup = harness.parseForLookup(frame);
        assertThat(lookup.key().words()).containsExactly(full.key().words());
        assertThat(lookup.key().hash()).isEqualTo(full.key().hash()).isEqualTo(FlowHash.slotHash(full.key()));
        assertThat(new int[] {lookup.l2(), lookup.l3(), lookup.l4()}).containsExactly(full.l2(), full.l3(), full.l4());
        boolean ipv4 = full.key().ethType() == FlowKey.ETH_TYPE_IPV4;
        assertThat(harness.mbuf().rssHashValid()).isEqualTo(!ipv4);
        assertThat(lookup.rssHash()).isEqualTo(ipv4 ? 0 : full.rssHash());
        assertThat(full.rssHash()).isEqualTo(FlowHash.hash5(full.key()));
    }

    @Property(tries = 500)
    void validFramesParseTheSameEveryTime(@ForAll("validFrames") byte[] frame) {
        Parsed a = harness.parse(frame);
        Parsed b = harness.parse(frame);
        assertSameParse(a, b);
        assertThat(a.l2()).isZero();
        assertThat(a.rssHash()).isEqualTo(FlowHash.hash5(a.key()));
    }

    /**
     * The parser marks a key's cold words zero only when they are (the EMC then compares the hot
     * words alone): for any frame, with or without tunnel metadata (IPv4 or IPv6 outer addresses,
     * options) and ct metadata on the mbuf.
     */
    @Property(tries = 2000)
    void coldWordsMarkedZeroAreZero(@ForAll("mutatedFrames") byte[] frame, @ForAll int metadata,
            @ForAll long value) {
        Mbuf m = harness.mbuf();
        m.reset();
        m.copyFrom(frame, 0, Math.min(frame.length, ParseHarness.DATA_ROOM));
        m.inPort(1);
        if ((metadata & 1) != 0) {
            m.tunnel(value, (int) value, 2, 0, 64, 8, 0, 4789);
        }
        if ((metadata & 2) != 0) {
            m.tunnelIpv6((metadata & 4) != 0 ? value : 0, 0, 0, (metadata & 8) != 0 ? 1 : 0);
        }
        if ((metadata & 16) != 0) {
            m.tunnelOptions().set(new UnsafeBuffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), 0, 8);
        }
        if ((metadata & 32) != 0) {
            m.ctState(metadata >>> 24 | 1);
            m.ctMark((metadata & 64) != 0 ? 0 : (int) value);
        }
        FlowKey key = harness.parseLoaded().key();
        boolean coldZero = true;
        for (int w = 0; w < FlowKey.WORDS; w++) {
            if ((FlowKey.HOT_WORD_MASK & 1L << w) == 0 && key.words()[w] != 0) {
                coldZero = false;
            }
        }
        if (key.coldWordsZero()) {
            assertThat(coldZero).as("cold words of %s", key).isTrue();
        }
    }

    /** Plain, VXLAN- and Geneve-popped IPv4 packets get the mark (the EMC's short compare); IPv6 does not. */
    @Example
    void ipv4PacketsAreMarkedColdZero() {
        assertThat(harness.parse(Frames.udp4().build()).key().coldWordsZero()).isTrue();
        Mbuf m = harness.mbuf();
        m.reset();
        byte[] tcp = Frames.tcp4().build();
        m.copyFrom(tcp, 0, tcp.length);
        m.tunnel(100, 0x0a000001, 0x0a000002, 0, 64, 8, 40000, 4789);
        m.recircDepth(1);
        assertThat(harness.parseLoaded().key().coldWordsZero()).isTrue();
        // A Geneve-popped packet too: its options' length is in a hot word, its options in no base word.
        m.tunnelOptions().set(new UnsafeBuffer(new byte[] {1, 2, (byte) 0x80, 1, 5, 6, 7, 8}), 0, 8);
        FlowKey geneve = harness.parseLoaded().key();
        assertThat(geneve.tunnelOptionsLength()).isEqualTo(8);
        assertThat(geneve.coldWordsZero()).isTrue();
        assertThat(harness.parse(Frames.udp6().build()).key().coldWordsZero()).isFalse();
    }

    /**
     * Every length from 0 to the data room, for random bytes and for every reference frame cut or
     * stretched (with random bytes) to that length.
     */
    @Example
    void everyLengthUpToTheDataRoom() {
        Random r = new Random(20240611);
        List<byte[]> refs = FrameGenerators.referenceFrames();
        byte[] noise = new byte[ParseHarness.DATA_ROOM];
        for (int len = 0; len <= ParseHarness.DATA_ROOM; len++) {
            r.nextBytes(noise);
            checkReadsOnlyTheFrame(harness, noise, len, (byte) 0, (byte) 0xff);
            for (byte[] ref : refs) {
                byte[] stretched = Arrays.copyOf(ref, len);
                System.arraycopy(noise, 0, stretched, Math.min(ref.length, len), Math.max(0, len - ref.length));
                checkReadsOnlyTheFrame(harness, stretched, len, (byte) 0x55, (byte) 0xaa);
            }
        }
    }

    /** Parses the first {@code length} bytes twice with different tails and once more; all must agree. */
    static Parsed checkReadsOnlyTheFrame(ParseHarness h, byte[] frame, int length, byte markerA, byte markerB) {
        Parsed a = h.parse(frame, length, markerA);
        Parsed b = h.parse(frame, length, markerB);
        Parsed again = h.parse(frame, length, markerA);
        assertSameParse(a, b);
        assertSameParse(a, again);
        assertThat(a.l2()).isBetween(-1, 0);
        assertThat(a.l3()).isBetween(-1, length);
        assertThat(a.l4()).isBetween(-1, length);
        if (a.l4() >= 0) {
            assertThat(a.l4()).isGreaterThanOrEqualTo(a.l3());
        }
        return a;
    }

    static void assertSameParse(Parsed a, Parsed b) {
        assertThat(a.key().words()).containsExactly(b.key().words());
        assertThat(a.key().hash()).isEqualTo(b.key().hash());
        assertThat(a.rssHash()).isEqualTo(b.rssHash());
        assertThat(new int[] {a.l2(), a.l3(), a.l4()}).containsExactly(b.l2(), b.l3(), b.l4());
    }
}
