package dev.jvswitch.ofproto.table;

/**
 * A binary prefix tree over bit strings of up to 128 bits, with a rule count per prefix: the
 * structure behind the classifier's prefix tracking (OVS's {@code cls_trie} and a subtable's
 * ports trie). A value is left-aligned in two words, {@code hi} then {@code lo}; bit 0 is the most
 * significant bit of {@code hi}.
 *
 * <p><b>Lookup</b> ({@link #lookup}, OVS's {@code trie_lookup_value}) walks the path of a value
 * and answers two things: which prefix lengths have rules whose prefix the value has (the
 * {@code plens} bitmap, bit {@code L-1} for length {@code L}), and how many leading bits of the
 * value that answer depends on ({@code maskbits}): the bits walked, plus the first bit where the
 * value left the tree, or the bit that chose a missing branch. Any value that agrees with this one
 * on those bits walks the same nodes and gets the same answer, which is what lets the classifier
 * put only those bits into a megaflow.
 *
 * <p><b>Shape.</b> Path-compressed: a node holds its whole prefix from bit 0 (bits past its length
 * zero), so a node may jump many bits past its parent. A node without rules always has two
 * children; removing a rule folds a node that no longer needs to exist into its one child.
 *
 * <p><b>Editing.</b> {@link Edit} changes a copy: it copies a node the first time it changes it
 * and from then on changes that copy in place (nodes record the edit that made them), so a bulk
 * change of n prefixes allocates O(n) nodes, not O(n × depth), and the trie it started from is left
 * as it was. {@link Edit#freeze()} ends that ownership.
 *
 * <p><b>Thread-safety:</b> a frozen trie is never written again and may be read by any number of
 * threads once published (the tables are published with release semantics). An {@link Edit} is
 * used by one thread.
 */
final class PrefixTrie {
    static final PrefixTrie EMPTY = new PrefixTrie(null, 0);

    private static final class Node {
        long hi;
        long lo;
        int len;
        int rules;
        Node zero;
        Node one;
        /** The edit that may still change this node in place; never one that has been frozen. */
        Object owner;

        Node(long hi, long lo, int len, int rules, Object owner) {
            this.hi = hi;
            this.lo = lo;
            this.len = len;
            this.rules = rules;
            this.owner = owner;
        }

        Node copy(Object newOwner) {
            Node n = new Node(hi, lo, len, rules, newOwner);
            n.zero = zero;
            n.one = one;
            return n;
        }

        boolean isLeaf() {
            return zero == null && one == null;
        }
    }

    private final Node root;
    private final int count;

    private PrefixTrie(Node root, int count) {
        this.root = root;
        this.count = count;
    }

    /** Number of prefixes in the trie, counting each rule once. */
    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** This trie with one more rule of prefix {@code (hi, lo)/len}, {@code 1 <= len <= 128}. */
    PrefixTrie plus(long hi, long lo, int len) {
        Edit e = new Edit(this);
        e.add(hi, lo, len);
        return e.freeze();
    }

    /** This trie with one rule of prefix {@code (hi, lo)/len} fewer; the prefix must be in it. */
    PrefixTrie minus(long hi, long lo, int len) {
        Edit e = new Edit(this);
        e.remove(hi, lo, len);
        return e.freeze();
    }

    /**
     * Looks {@code (hi, lo)} up (its first {@code nBits} bits are the value). ORs into
     * {@code plens[off]} (lengths 1..64) and {@code plens[off + 1]} (65..128) a bit {@code L-1} for
     * every length {@code L} at which the trie holds rules whose prefix the value has; returns the
     * number of leading bits the answer depends on (at most {@code nBits}). {@code plens} may be
     * null when only that number is wanted. Allocates nothing.
     */
    int lookup(long hi, long lo, int nBits, long[] plens, int off) {
        Node prev = null;
        Node node = root;
        int matched = 0;
        while (node != null) {
            int d = firstDiff(node.hi, node.lo, hi, lo);
            if (d < node.len) {
                return d + 1; // includes the first bit that differs
            }
            matched = node.len;
            if (node.rules > 0 && plens != null) {
                setPlen(plens, off, matched);
            }
            if (matched >= nBits) {
                return nBits;
            }
            prev = node;
            node = bit(hi, lo, matched) == 0 ? node.zero : node.one;
        }
        // Fell off: the branch taken does not exist. Unless the node was a leaf, the bit that
        // chose it tells this value apart from the other branch.
        return prev == null || prev.isLeaf() ? matched : matched + 1;
    }

    // ------------------------------------------------------------------ bits

    static void setPlen(long[] plens, int off, int len) {
        int i = len - 1;
        if (i < 64) {
            plens[off] |= 1L << i;
        } else {
            plens[off + 1] |= 1L << (i - 64);
        }
    }

    static boolean hasPlen(long[] plens, int off, int len) {
        int i = len - 1;
        return i < 64 ? (plens[off] & (1L << i)) != 0 : (plens[off + 1] & (1L << (i - 64))) != 0;
    }

    /** The first {@code len} bits as the high word of a mask. */
    static long maskHi(int len) {
        return len >= 64 ? -1L : len <= 0 ? 0 : -1L << (64 - len);
    }

    /** The first {@code len} bits as the low word of a mask. */
    static long maskLo(int len) {
        return len >= 128 ? -1L : len <= 64 ? 0 : -1L << (128 - len);
    }

    /** Index of the first bit where the two values differ, 128 if none. */
    static int firstDiff(long aHi, long aLo, long bHi, long bLo) {
        long x = aHi ^ bHi;
        if (x != 0) {
            return Long.numberOfLeadingZeros(x);
        }
        long y = aLo ^ bLo;
        return y != 0 ? 64 + Long.numberOfLeadingZeros(y) : 128;
    }

    static int bit(long hi, long lo, int i) {
        return (int) (i < 64 ? (hi >>> (63 - i)) & 1 : (lo >>> (127 - i)) & 1);
    }

    // ------------------------------------------------------------------ editing

    /**
     * A change to a trie, made in place on nodes it has copied; see the class comment.
     * Not thread-safe.
     */
    static final class Edit {
        private Object token = new Object();
        private Node root;
        private int count;

        Edit(PrefixTrie base) {
            this.root = base.root;
            this.count = base.count;
        }

        int size() {
            return count;
        }

        /** One more rule of prefix {@code (hi, lo)/len}; bits past {@code len} are ignored. */
        void add(long hi, long lo, int len) {
            if (len < 1 || len > 128) {
                throw new IllegalArgumentException("prefix length " + len);
            }
            root = insert(root, hi & maskHi(len), lo & maskLo(len), len);
            count++;
        }

        /** One rule of prefix {@code (hi, lo)/len} fewer. */
        void remove(long hi, long lo, int len) {
            root = delete(root, hi & maskHi(len), lo & maskLo(len), len);
            count--;
        }

        /** The trie as it is now; further changes through this edit copy what they touch again. */
        PrefixTrie freeze() {
            token = new Object();
            return count == 0 ? EMPTY : new PrefixTrie(root, count);
        }

        private Node mine(Node n) {
            return n.owner == token ? n : n.copy(token);
        }

        private Node insert(Node n, long hi, long lo, int len) {
            if (n == null) {
                return new Node(hi, lo, len, 1, token);
            }
            int d = firstDiff(n.hi, n.lo, hi, lo);
            int common = Math.min(d, Math.min(n.len, len));
            if (common < n.len) {
                // The new prefix leaves n's path (or ends on it) before n: a node goes above n.
                Node up;
                if (common == len) {
                    up = new Node(hi, lo, len, 1, token);
                } else {
                    up = new Node(hi & maskHi(common), lo & maskLo(common), common, 0, token);
                    setChild(up, bit(hi, lo, common), new Node(hi, lo, len, 1, token));
                }
                setChild(up, bit(n.hi, n.lo, common), n);
                return up;
            }
            Node c = mine(n);
            if (len == n.len) {
                c.rules++;
            } else if (bit(hi, lo, n.len) == 0) {
                c.zero = insert(c.zero, hi, lo, len);
            } else {
                c.one = insert(c.one, hi, lo, len);
            }
            return c;
        }

        private Node delete(Node n, long hi, long lo, int len) {
            if (n == null || n.len > len || firstDiff(n.hi, n.lo, hi, lo) < n.len) {
                throw new IllegalStateException("prefix of length " + len + " is not in the trie");
            }
            Node c = mine(n);
            if (len == n.len) {
                if (c.rules == 0) {
                    throw new IllegalStateException("prefix of length " + len + " is not in the trie");
                }
                c.rules--;
            } else if (bit(hi, lo, n.len) == 0) {
                c.zero = delete(c.zero, hi, lo, len);
            } else {
                c.one = delete(c.one, hi, lo, len);
            }
            if (c.rules == 0) {
                if (c.zero == null) {
                    return c.one;
                }
                if (c.one == null) {
                    return c.zero;
                }
            }
            return c;
        }

        private static void setChild(Node parent, int bit, Node child) {
            if (bit == 0) {
                parent.zero = child;
            } else {
                parent.one = child;
            }
        }
    }
}
