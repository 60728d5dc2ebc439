package dev.jvswitch.flowcache.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.testing.FrameGenerators;
import dev.jvswitch.flowcache.testing.ParseHarness;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.testkit.frame.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * A PMD parses every packet into a key it reused for the packet before, and
 * {@link FlowKey#clearForParse()} zeroes only what that parse (or a writer since) can have left
 * behind. Whatever came before — another frame, tunnel, Geneve option or ct metadata, field
 * setters on any word including the pipeline and tunnel metadata words — parsing into a reused
 * key gives exactly what parsing into a fresh key gives: the words, the hash, the cold mark.
 */
class ReusedKeyPropertyTest {
    private final ParseHarness harness = new ParseHarness();
    private final FlowKey reused = new FlowKey();

    @AfterProperty
    void close() {
        harness.close();
    }

    @Provide
    Arbitrary<List<byte[]>> frameSequences() {
        return Arbitraries.oneOf(FrameGenerators.validFrames(), FrameGenerators.mutatedFrames()).list().ofMinSize(1)
                .ofMaxSize(8);
    }

    @Property(tries = 1500)
    void aReusedKeyParsesLikeAFreshOne(@ForAll("frameSequences") List<byte[]> frames, @ForAll long seed) {
        Random r = new Random(seed);
        for (byte[] frame : frames) {
            load(frame, r.nextInt(), r.nextLong());
            if (r.nextInt(4) == 0) {
                scribble(reused, r);
            }
            harness.parser().parse(harness.mbuf(), reused);
            FlowKey fresh = new FlowKey();
            harness.parser().parse(harness.mbuf(), fresh);
            assertSameKey(reused, fresh);
        }
    }

    /** The fast path's case: plain and tunnelled IPv4 one after the other, marked every time. */
    @Example
    void markedKeysAlternatingPlainAndTunnelledStayExact() {
        Random r = new Random(20261205);
        byte[][] frames = {Frames.udp4().build(), Frames.tcp4().build(), Frames.udp6().build()};
        for (int i = 0; i < 200; i++) {
            load(frames[r.nextInt(frames.length)], r.nextInt(64), r.nextLong());
            harness.parser().parse(harness.mbuf(), reused);
            FlowKey fresh = new FlowKey();
            harness.parser().parse(harness.mbuf(), fresh);
            assertSameKey(reused, fresh);
        }
    }

    /** Loads {@code frame} into the harness mbuf with the metadata the bits of {@code metadata} pick. */
    private void load(byte[] frame, int metadata, long value) {
        Mbuf m = harness.mbuf();
        m.reset();
        m.copyFrom(frame, 0, Math.min(frame.length, ParseHarness.DATA_ROOM));
        m.inPort((int) value & 0xff);
        if ((metadata & 1) != 0) {
            m.tunnel(value, (int) value, 2, 0, 64, 8, 0, 4789);
        }
        if ((metadata & 2) != 0) {
            m.tunnelIpv6((metadata & 4) != 0 ? value : 0, 0, 0, (metadata & 8) != 0 ? 1 : 0);
        }
        if ((metadata & 16) != 0) {
            int length = 4 * (1 + (metadata >>> 8 & 7));
            byte[] options = new byte[length];
            new Random(value).nextBytes(options);
            m.tunnelOptions().set(new UnsafeBuffer(options), 0, length);
        }
        if ((metadata & 32) != 0) {
            m.ctState(metadata >>> 24 | 1);
            m.ctMark((metadata & 64) != 0 ? 0 : (int) value);
        }
    }

    /** Writes a random field of any kind (base, tunnel metadata, pipeline) through its setter. */
    private static void scribble(FlowKey key, Random r) {
        FlowField[] fields = FlowField.values();
        for (int n = 1 + r.nextInt(3); n > 0; n--) {
            FlowField f = fields[r.nextInt(fields.length)];
            if (f.isAlias()) {
                continue;
            }
            if (f.is128()) {
                key.set(f, r.nextLong(), r.nextLong());
            } else {
                key.set(f, r.nextLong() & f.valueMask());
            }
        }
    }

    private static void assertSameKey(FlowKey reused, FlowKey fresh) {
        assertThat(reused.words()).as("words of %s", fresh).containsExactly(fresh.words());
        assertThat(reused.hash()).isEqualTo(fresh.hash());
        assertThat(reused.coldWordsZero()).isEqualTo(fresh.coldWordsZero());
    }
}
