package dev.jvswitch.vswitchd.slowpath;

/** A slow-path operation that failed; the message is one line for the user. */
public final class SlowPathException extends Exception {
    private static final long serialVersionUID = 1L;

    public SlowPathException(String message) {
        super(message);
    }
}
