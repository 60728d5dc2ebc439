package dev.jvswitch.flowcache.megaflow;

import java.lang.reflect.Field;
import java.util.Random;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.hash.FlowHash;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;

/**
 * Test fixtures for the lookup stages: keys and masks filled word by word (the field layout is
 * not what these tests are about), and opaque action programs.
 */
public final class Flows {
    private Flows() {
    }

    /**
     * A distinct action program. {@link DpActions} is built by the executor work, whose builder
     * these tests must not depend on; the lookup stages only carry the reference.
     */
    public static DpActions actions() {
        try {
            Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            f.setAccessible(true);
            sun.misc.Unsafe unsafe = (sun.misc.Unsafe) f.get(null);
            return (DpActions) unsafe.allocateInstance(DpActions.class);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A key with the given leading words (the rest zero) and its hash set. */
    public static FlowKey key(long... words) {
        FlowKey k = new FlowKey();
        System.arraycopy(words, 0, k.words(), 0, words.length);
        return rehash(k);
    }

    /** A mask with the given leading words (the rest zero). */
    public static FlowMask mask(long... words) {
        FlowMask m = new FlowMask();
        System.arraycopy(words, 0, m.words(), 0, words.length);
        return m;
    }

    /** A mask with {@code word} at {@code index} and zero elsewhere. */
    public static FlowMask maskAt(int index, long word) {
        FlowMask m = new FlowMask();
        m.words()[index] = word;
        return m;
    }

    /** Sets the key's hash to a hash of all its words (what the parser would do). */
    public static FlowKey rehash(FlowKey k) {
        int h = 0;
        for (long w : k.words()) {
            h = FlowHash.mix64(h, w);
        }
        k.hash(FlowHash.finish(h, FlowKey.WORDS * 8));
        return k;
    }

    public static FlowKey randomKey(Random random) {
        FlowKey k = new FlowKey();
        for (int i = 0; i < FlowKey.WORDS; i++) {
            k.words()[i] = random.nextLong();
        }
        return rehash(k);
    }

    /** A copy of {@code key}. */
    public static FlowKey copy(FlowKey key) {
        FlowKey k = new FlowKey();
        System.arraycopy(key.words(), 0, k.words(), 0, FlowKey.WORDS);
        k.hash(key.hash());
        if (key.coldWordsZero()) {
            k.markColdWordsZero();
        }
        return k;
    }

    /** A key that {@code flow} matches: its masked key with every unmasked bit random. */
    public static FlowKey keyMatching(Megaflow flow, Random random) {
        FlowKey k = new FlowKey();
        long[] w = k.words();
        for (int i = 0; i < FlowKey.WORDS; i++) {
            w[i] = random.nextLong();
        }
        for (int j = 0; j < flow.maskWordCount(); j++) {
            int i = flow.maskWordIndex(j);
            w[i] = (w[i] & ~flow.maskWord(j)) | flow.maskedKeyWord(j);
        }
        return rehash(k);
    }
}
