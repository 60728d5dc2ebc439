package dev.jvswitch.ofproto.syntax;

import java.util.ArrayList;
import java.util.List;

/**
 * The text being parsed and the one way to fail on it: every error goes through {@link #fail}, which
 * turns a 0-based index into the 1-based column of the message.
 *
 * <p>{@link #split} cuts the text into items the way ovs-ofctl does: at commas and white space that
 * are outside parentheses and brackets, so {@code resubmit(,1)} and {@code fields(ip_src,tcp_dst)}
 * stay whole.
 */
final class Source {
    /**
     * One item: the characters {@code [from, to)} of {@code src}, at 0-based {@code start} of the
     * source. Its text is cut out only when asked for (an error, an action): the common items of a
     * flow line are read in place, with their names from {@link Words}.
     */
    static final class Item {
        private final String src;
        private final int from;
        private final int to;
        private final int start;
        private String text;

        /** An item that is the whole of {@code text}, at {@code start} of the source. */
        Item(String text, int start) {
            this(text, 0, text.length(), start);
            this.text = text;
        }

        private Item(String src, int from, int to, int start) {
            this.src = src;
            this.from = from;
            this.to = to;
            this.start = start;
        }

        String text() {
            String t = text;
            if (t == null) {
                t = src.substring(from, to);
                text = t;
            }
            return t;
        }

        int start() {
            return start;
        }

        int length() {
            return to - from;
        }

        /** Index of the first {@code sep} in the item, or -1. */
        int indexOf(char sep) {
            for (int i = from; i < to; i++) {
                if (src.charAt(i) == sep) {
                    return i - from;
                }
            }
            return -1;
        }

        /** Characters {@code [a, b)} of the item as a name: a known word's constant, else a new string. */
        String name(int a, int b) {
            return Words.of(src, from + a, from + b);
        }

        /** Characters {@code [a, length())} of the item. */
        String substring(int a) {
            return text != null ? text.substring(a) : src.substring(from + a, to);
        }

        @Override
        public String toString() {
            return text() + "@" + start;
        }
    }

    private final String text;
    private final String kind;

    Source(String text, String kind) {
        this.text = text;
        this.kind = kind;
    }

    String text() {
        return text;
    }

    SyntaxException fail(SyntaxError error, int index, Object... args) {
        return new SyntaxException(kind, error, index + 1, error.format(args));
    }

    /** Deepest nesting of brackets in one string. */
    private static final int MAX_DEPTH = 64;

    /** The items of {@code text[from, to)}. */
    List<Item> split(int from, int to) {
        Spans spans = new Spans();
        split(from, to, spans);
        List<Item> items = new ArrayList<>(spans.count);
        for (int k = 0; k < spans.count; k++) {
            items.add(item(spans.from(k), spans.to(k)));
        }
        return items;
    }

    /** The item of the characters {@code [from, to)}. */
    Item item(int from, int to) {
        return new Item(text, from, to, from);
    }

    /**
     * Where the items of a text start and end, as {@link #split(int, int, Spans)} finds them: a
     * parse reuses one per thread, so that a flow line costs no object per item.
     */
    static final class Spans {
        private int[] bounds = new int[32];
        int count;

        int from(int k) {
            return bounds[2 * k];
        }

        int to(int k) {
            return bounds[2 * k + 1];
        }

        private void add(int from, int to) {
            if (2 * count == bounds.length) {
                bounds = java.util.Arrays.copyOf(bounds, bounds.length * 2);
            }
            bounds[2 * count] = from;
            bounds[2 * count++ + 1] = to;
        }
    }

    /** The items of {@code text[from, to)} into {@code out} (emptied first). */
    void split(int from, int to, Spans out) {
        out.count = 0;
        int depth = 0;
        int itemStart = -1;
        int[] openAt = null; // made at the first bracket: most items have none
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            boolean sep = depth == 0 && (c == ',' || Character.isWhitespace(c));
            if (sep) {
                if (itemStart >= 0) {
                    out.add(itemStart, i);
                    itemStart = -1;
                }
                continue;
            }
            if (itemStart < 0) {
                itemStart = i;
            }
            if (c == '(' || c == '[') {
                if (openAt == null) {
                    openAt = new int[MAX_DEPTH];
                }
                if (depth == openAt.length) {
                    throw fail(SyntaxError.UNBALANCED, i, String.valueOf(c));
                }
                openAt[depth++] = i;
            } else if (c == ')' || c == ']') {
                char open = c == ')' ? '(' : '[';
                if (depth == 0 || text.charAt(openAt[depth - 1]) != open) {
                    throw fail(SyntaxError.UNBALANCED, i, String.valueOf(c));
                }
                depth--;
            }
        }
        if (depth > 0) {
            int at = openAt[depth - 1];
            throw fail(SyntaxError.UNBALANCED, at, String.valueOf(text.charAt(at)));
        }
        if (itemStart >= 0) {
            out.add(itemStart, to);
        }
    }
}
