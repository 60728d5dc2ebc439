package dev.jvswitch.pmd.netdev;

/** A port could not be opened or used; the message is one line a user can act on. */
public class NetdevException extends Exception {
    private static final long serialVersionUID = 1L;

    public NetdevException(String message) {
        super(message);
    }

    public NetdevException(String message, Throwable cause) {
        super(message, cause);
    }
}
