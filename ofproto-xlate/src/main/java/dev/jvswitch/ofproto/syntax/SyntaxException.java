package dev.jvswitch.ofproto.syntax;

/**
 * A flow or group string that does not parse. The message is one line:
 * {@code flow syntax error at column 23: unknown field 'nw_dsst'} (or {@code group syntax error
 * ...}); {@link #column()} is 1-based and points at the first character of the quoted token.
 */
public final class SyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final SyntaxError error;
    private final int column;
    private final String detail;

    SyntaxException(String kind, SyntaxError error, int column, String detail) {
        super(kind + " syntax error at column " + column + ": " + detail);
        this.error = error;
        this.column = column;
        this.detail = detail;
    }

    /** The class of error. */
    public SyntaxError error() {
        return error;
    }

    /** 1-based column of the offending token. */
    public int column() {
        return column;
    }

    /** The message without the {@code ... at column N: } prefix. */
    public String detail() {
        return detail;
    }
}
