package dev.jvswitch.vswitchd.slowpath;

/** A slow-path operation that failed; the message is one line for the user. */
public final class SlowPathException extends Exception {
    private static final long serialVersionUID = 1L;

    public SlowPathException(String message) {
        super(message);
    }

    /** The error for an operation the slow path in use does not offer. */
    public static SlowPathException notAvailable(String what) {
        return new SlowPathException(what + ": not available with the built-in slow path (it comes with the "
                + "OpenFlow slow path, ofproto-xlate)");
    }
}
