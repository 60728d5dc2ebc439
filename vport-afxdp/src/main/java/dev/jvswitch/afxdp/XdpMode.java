package dev.jvswitch.afxdp;

import java.util.List;
import java.util.Locale;

import dev.jvswitch.afxdp.sys.Native;
import dev.jvswitch.afxdp.xdp.XdpAttachment.Attach;

/**
 * Option {@code xdp-mode}, with Open vSwitch's values: where the XDP program runs and whether the
 * socket shares the driver's buffers.
 *
 * <ul>
 *   <li>{@link #NATIVE_WITH_ZEROCOPY}: the program in the driver, frames DMA'd straight into the
 *       UMEM; drivers with AF_XDP zero-copy only (not veth).</li>
 *   <li>{@link #NATIVE}: the program in the driver, the kernel copies each frame into the UMEM (no
 *       skb is made for it).</li>
 *   <li>{@link #GENERIC}: the program runs on the skb after the driver made one; any driver.</li>
 *   <li>{@link #BEST_EFFORT} (the default): the first of the three above that works, in that
 *       order; the port's status says which one it got.</li>
 * </ul>
 */
public enum XdpMode {
    BEST_EFFORT("best-effort"),
    NATIVE_WITH_ZEROCOPY("native-with-zerocopy"),
    NATIVE("native"),
    GENERIC("generic");

    private final String label;

    XdpMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The mode named {@code label} (case-insensitive), or {@code null}. */
    public static XdpMode of(String label) {
        String l = label.trim().toLowerCase(Locale.ROOT);
        for (XdpMode m : values()) {
            if (m.label.equals(l)) {
                return m;
            }
        }
        return null;
    }

    /** The attach modes to try, in order. */
    Attach[] attachModes() {
        return switch (this) {
            case BEST_EFFORT -> new Attach[] {Attach.NATIVE, Attach.GENERIC};
            case NATIVE_WITH_ZEROCOPY, NATIVE -> new Attach[] {Attach.NATIVE};
            case GENERIC -> new Attach[] {Attach.GENERIC};
        };
    }

    /** The bind flags to try, in order, once the program runs in {@code got}. */
    List<Integer> bindModes(Attach got) {
        return switch (this) {
            case NATIVE_WITH_ZEROCOPY -> List.of(Native.XDP_ZEROCOPY);
            case BEST_EFFORT -> got == Attach.NATIVE ? List.of(Native.XDP_ZEROCOPY, Native.XDP_COPY)
                    : List.of(Native.XDP_COPY);
            case NATIVE, GENERIC -> List.of(Native.XDP_COPY);
        };
    }

    /** The mode a port got: the program's attach mode and whether its sockets are zero-copy. */
    static XdpMode inUse(Attach attach, boolean zeroCopy) {
        if (attach == Attach.GENERIC) {
            return GENERIC;
        }
        return zeroCopy ? NATIVE_WITH_ZEROCOPY : NATIVE;
    }
}
