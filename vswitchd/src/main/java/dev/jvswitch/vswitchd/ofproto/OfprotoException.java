package dev.jvswitch.vswitchd.ofproto;

/** An {@link OfprotoService} operation that failed; the message is one line for the user. */
public final class OfprotoException extends Exception {
    private static final long serialVersionUID = 1L;

    public OfprotoException(String message) {
        super(message);
    }
}
