package dev.jvswitch.ofproto.table;

import java.util.function.Consumer;

/**
 * A persistent (immutable, path-copying) map from {@code long} keys to values: a hash array mapped
 * trie that consumes the key five bits at a time from the most significant end. An update copies
 * the few nodes on one path (O(log32 n)) and shares the rest, which is what lets the flow tables
 * publish a new version per change without copying 100 000 rules.
 *
 * <p>Because digits are taken most significant first, the trie is ordered by unsigned key:
 * {@link #maxKey()} walks down the highest branch. A {@code get} allocates nothing.
 *
 * <p><b>Thread-safety:</b> immutable; safe to share once published.
 */
final class LongTrieMap<V> {
    private static final int BITS = 5;
    private static final int LAST_LEVEL = 12;
    private static final LongTrieMap<Object> EMPTY = new LongTrieMap<>(null, 0);

    /** An inner node: a bitmap of the 32 digits present and one slot (Node or Leaf) per digit. */
    private static final class Node {
        final int bitmap;
        final Object[] slots;

        Node(int bitmap, Object[] slots) {
            this.bitmap = bitmap;
            this.slots = slots;
        }
    }

    private static final class Leaf {
        final long key;
        final Object value;

        Leaf(long key, Object value) {
            this.key = key;
            this.value = value;
        }
    }

    private final Node root;
    private final int size;

    private LongTrieMap(Node root, int size) {
        this.root = root;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <V> LongTrieMap<V> empty() {
        return (LongTrieMap<V>) EMPTY;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Digit of {@code key} at {@code level}: bits 63..59 at level 0, ..., bits 3..0 at level 12. */
    private static int digit(long key, int level) {
        return level < LAST_LEVEL ? (int) (key >>> (64 - BITS - BITS * level)) & 31 : (int) key & 15;
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        Node n = root;
        int level = 0;
        while (n != null) {
            int bit = 1 << digit(key, level);
            if ((n.bitmap & bit) == 0) {
                return null;
            }
            Object s = n.slots[Integer.bitCount(n.bitmap & (bit - 1))];
            if (s instanceof Leaf) {
                Leaf l = (Leaf) s;
                return l.key == key ? (V) l.value : null;
            }
            n = (Node) s;
            level++;
        }
        return null;
    }

    boolean containsKey(long key) {
        return get(key) != null;
    }

    /** This map with {@code key} mapped to {@code value} (not null). */
    LongTrieMap<V> plus(long key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        boolean[] added = new boolean[1];
        Node r = insert(root, key, value, 0, added);
        return new LongTrieMap<>(r, added[0] ? size + 1 : size);
    }

    /** This map without {@code key}. */
    LongTrieMap<V> minus(long key) {
        if (root == null) {
            return this;
        }
        Object r = remove(root, key, 0);
        if (r == root) {
            return this;
        }
        return new LongTrieMap<>((Node) r, size - 1);
    }

    /** Largest key in unsigned order; the map must not be empty. */
    long maxKey() {
        if (root == null) {
            throw new IllegalStateException("empty map has no largest key");
        }
        Node n = root;
        while (true) {
            Object s = n.slots[n.slots.length - 1];
            if (s instanceof Leaf) {
                return ((Leaf) s).key;
            }
            n = (Node) s;
        }
    }

    /** Calls {@code action} with every value, in unsigned key order. */
    @SuppressWarnings("unchecked")
    void forEachValue(Consumer<? super V> action) {
        if (root != null) {
            walk(root, (Consumer<Object>) action);
        }
    }

    private static void walk(Node n, Consumer<Object> action) {
        for (Object s : n.slots) {
            if (s instanceof Leaf) {
                action.accept(((Leaf) s).value);
            } else {
                walk((Node) s, action);
            }
        }
    }

    private static Node insert(Node n, long key, Object value, int level, boolean[] added) {
        int bit = 1 << digit(key, level);
        if (n == null) {
            added[0] = true;
            return new Node(bit, new Object[] {new Leaf(key, value)});
        }
        int pos = Integer.bitCount(n.bitmap & (bit - 1));
        if ((n.bitmap & bit) == 0) {
            added[0] = true;
            Object[] slots = new Object[n.slots.length + 1];
            System.arraycopy(n.slots, 0, slots, 0, pos);
            slots[pos] = new Leaf(key, value);
            System.arraycopy(n.slots, pos, slots, pos + 1, n.slots.length - pos);
            return new Node(n.bitmap | bit, slots);
        }
        Object s = n.slots[pos];
        Object replacement;
        if (s instanceof Leaf) {
            Leaf l = (Leaf) s;
            if (l.key == key) {
                replacement = new Leaf(key, value);
            } else {
                added[0] = true;
                replacement = merge(l, new Leaf(key, value), level + 1);
            }
        } else {
            replacement = insert((Node) s, key, value, level + 1, added);
        }
        Object[] slots = n.slots.clone();
        slots[pos] = replacement;
        return new Node(n.bitmap, slots);
    }

    private static Node merge(Leaf a, Leaf b, int level) {
        int da = digit(a.key, level);
        int db = digit(b.key, level);
        if (da == db) {
            return new Node(1 << da, new Object[] {merge(a, b, level + 1)});
        }
        return new Node((1 << da) | (1 << db), da < db ? new Object[] {a, b} : new Object[] {b, a});
    }

    /** The slot that replaces {@code n}: {@code n} itself if unchanged, a Node, a lone Leaf, or null. */
    private static Object remove(Node n, long key, int level) {
        int bit = 1 << digit(key, level);
        if ((n.bitmap & bit) == 0) {
            return n;
        }
        int pos = Integer.bitCount(n.bitmap & (bit - 1));
        Object s = n.slots[pos];
        Object replacement;
        if (s instanceof Leaf) {
            if (((Leaf) s).key != key) {
                return n;
            }
            replacement = null;
        } else {
            replacement = remove((Node) s, key, level + 1);
            if (replacement == s) {
                return n;
            }
        }
        if (replacement != null) {
            if (replacement instanceof Leaf && n.slots.length == 1 && level > 0) {
                return replacement;
            }
            Object[] slots = n.slots.clone();
            slots[pos] = replacement;
            return new Node(n.bitmap, slots);
        }
        if (n.slots.length == 1) {
            return null;
        }
        Object[] slots = new Object[n.slots.length - 1];
        System.arraycopy(n.slots, 0, slots, 0, pos);
        System.arraycopy(n.slots, pos + 1, slots, pos, slots.length - pos);
        if (slots.length == 1 && slots[0] instanceof Leaf && level > 0) {
            return slots[0];
        }
        return new Node(n.bitmap & ~bit, slots);
    }
}
