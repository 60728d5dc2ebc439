package dev.jvswitch.ofproto.xlate;

import java.util.Arrays;

import dev.jvswitch.ofproto.action.FieldRef;

/**
 * The {@code push}/{@code pop} stack of one translation (OVS's {@code ctx->stack}): values of up to
 * 128 bits, kept as a low and a high word, frozen with the rest of the pipeline state across a
 * recirculation and thawed with it.
 *
 * <p><b>Thread-safety:</b> part of an {@link XlateContext}, which one translating thread owns.
 */
final class XlateStack {
    private static final long[] EMPTY = new long[0];

    private long[] low = new long[4];
    private long[] high = new long[4];
    private int depth;

    /** Empties the stack for a new translation (its arrays are kept). */
    void clear() {
        depth = 0;
    }

    /** {@code push}: the field's bits (into the mask) onto the stack, as the low bits of a value. */
    void push(XlateContext c, FieldRef src) {
        if (depth == low.length) {
            low = Arrays.copyOf(low, depth * 2);
            high = Arrays.copyOf(high, depth * 2);
        }
        int lowBits = Math.min(64, src.nBits());
        low[depth] = FieldWrite.read(c, src, 0, lowBits);
        high[depth] = src.nBits() > 64 ? FieldWrite.read(c, src, 64, src.nBits() - 64) : 0;
        depth++;
    }

    /** {@code pop}: the top of the stack into the field's bits; an empty stack leaves them (OVS warns). */
    void pop(XlateContext c, FieldRef dst) {
        if (depth == 0) {
            c.report(TraceNode.Kind.WARN, "stack underflow");
            return;
        }
        depth--;
        int lowBits = Math.min(64, dst.nBits());
        FieldWrite.writeBits(c, dst, 0, lowBits, low[depth]);
        if (dst.nBits() > 64) {
            FieldWrite.writeBits(c, dst, 64, dst.nBits() - 64, high[depth]);
        }
    }

    /** The stack as a frozen state keeps it: bottom first, low and high word per value. */
    long[] frozen() {
        if (depth == 0) {
            return EMPTY;
        }
        long[] s = new long[2 * depth];
        for (int i = 0; i < depth; i++) {
            s[2 * i] = low[i];
            s[2 * i + 1] = high[i];
        }
        return s;
    }

    /** Replaces the stack with the one {@code frozen} (from {@link #frozen}) kept. */
    void restore(long[] frozen) {
        int n = frozen.length / 2;
        if (n > low.length) {
            low = Arrays.copyOf(low, n);
            high = Arrays.copyOf(high, n);
        }
        for (int i = 0; i < n; i++) {
            low[i] = frozen[2 * i];
            high[i] = frozen[2 * i + 1];
        }
        depth = n;
    }
}
