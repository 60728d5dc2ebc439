package dev.jvswitch.openflow.codec;

/**
 * A request the switch cannot carry out, with the OpenFlow error it is answered with
 * ({@code OFPT_ERROR} type and code, the numbers of OpenFlow 1.3, which 1.4 and 1.5 keep) and a
 * one-line reason for the log and {@code ofconn/show}.
 */
public final class OfCodecException extends RuntimeException {
    private final OfError error;

    public OfCodecException(OfError error, String message) {
        super(message);
        this.error = error;
    }

    public OfError error() {
        return error;
    }
}
