package dev.jvswitch.flowcache.actions;

import java.util.Arrays;

/**
 * A checked, canonical {@code tnl_push} header template that never changes, so that programs may
 * share it instead of copying it: translation builds one per distinct header and reuses it for
 * every flow that pushes the same header, and a program built from it through a
 * {@link DpActionsCache} then costs nothing once built before.
 *
 * <p><b>Thread-safety:</b> immutable (the bytes are a private copy, read only).
 */
public final class TnlTemplate {
    private final int tnlType;
    private final byte[] header;

    private TnlTemplate(int tnlType, byte[] header) {
        this.tnlType = tnlType;
        this.header = header;
    }

    /**
     * The template of the first {@code length} bytes of {@code header}, checked and put in
     * canonical form as {@link DpActionsBuilder#tnlPush(int, int, byte[], int)} does.
     *
     * @throws IllegalArgumentException as that method does
     */
    public static TnlTemplate of(int tnlType, byte[] header, int length) {
        return new TnlTemplate(tnlType, TnlHeader.canonical(tnlType, Arrays.copyOf(header, length)));
    }

    public int tnlType() {
        return tnlType;
    }

    public int length() {
        return header.length;
    }

    /** The canonical bytes, shared: for the builder only. */
    byte[] bytes() {
        return header;
    }
}
