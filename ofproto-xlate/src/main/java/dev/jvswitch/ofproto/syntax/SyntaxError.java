package dev.jvswitch.ofproto.syntax;

import java.util.Locale;

/**
 * The classes of error the flow and group parsers report, each with its one message template.
 * A message quotes the offending token as the user wrote it; {@link SyntaxException} adds the
 * 1-based column where that token starts.
 */
public enum SyntaxError {
    /** A match keyword that is no field: {@code unknown field 'nw_dsst'}. */
    UNKNOWN_FIELD("unknown field '%s'"),
    /** An action keyword that is no action: {@code unknown action 'outptu'}. */
    UNKNOWN_ACTION("unknown action '%s'"),
    /** A keyword that needs a value given without one: {@code missing value for 'tp_dst'}. */
    MISSING_VALUE("missing value for '%s'"),
    /** A keyword that takes no value given one: {@code 'tcp' takes no value}. */
    UNEXPECTED_VALUE("'%s' takes no value"),
    /** A value that does not parse: {@code invalid value '10.0.0.256' for nw_dst (expected an IPv4 address)}. */
    BAD_VALUE("invalid value '%s' for %s (expected %s)"),
    /** A number too large or small: {@code value '70000' out of range for tp_dst (0..65535)}. */
    OUT_OF_RANGE("value '%s' out of range for %s (%s)"),
    /** A mask that does not parse or fit: {@code invalid mask '33' for nw_dst}. */
    BAD_MASK("invalid mask '%s' for %s"),
    /** A field whose prerequisite is missing: {@code tp_dst needs tcp, udp or sctp}. */
    PREREQUISITE("%s needs %s"),
    /** Two tokens that say different things about the same bits: {@code 'udp' conflicts with 'tcp' at column 1}. */
    CONFLICT("'%s' conflicts with '%s' at column %d"),
    /** A part the text must have: {@code missing 'actions'}. */
    MISSING("missing '%s'"),
    /** A token that is valid elsewhere but not here: {@code 'drop' is not allowed with other actions}. */
    NOT_ALLOWED("'%s' is not allowed %s"),
    /** An opening or closing bracket without its partner: {@code unbalanced '('}. */
    UNBALANCED("unbalanced '%s'"),
    /**
     * An OVS action or field that jvswitch does not build (yet), named with its feature:
     * {@code ct(...) is not supported (connection tracking)}.
     */
    NOT_SUPPORTED("%s is not supported (%s)"),
    /** A group that parses but breaks a group rule: the rule's own message. */
    INVALID_GROUP("%s");

    private final String template;

    SyntaxError(String template) {
        this.template = template;
    }

    /** The template, with {@code %s}/{@code %d} where the arguments go. */
    public String template() {
        return template;
    }

    String format(Object... args) {
        return String.format(Locale.ROOT, template, args);
    }
}
