package dev.jvswitch.conntrack;

import java.util.ArrayDeque;

/**
 * What an application-layer gateway keeps on a connection (OVS's {@code conn->alg},
 * {@code alg_related}, {@code parent_key} and {@code seq_skew}): which helper the connection was
 * committed with ({@link CtAlg#FTP}, {@link CtAlg#TFTP}), or, for a connection an expectation
 * opened, the original tuple of the control connection it belongs to; an FTP control connection
 * whose payload NAT rewrote also keeps how far its sequence numbers moved and in which direction.
 * Most connections have none, so {@link Conn} holds a null reference instead of these fields.
 *
 * <p><b>Thread-safety:</b> the helper, the related flag and the parent tuple are final. The
 * sequence skew and the expectation list are read and written under the connection's monitor
 * (OVS's {@code conn->lock}); removing the connection marks it dead first, and
 * {@link CtExpectations#create} adds nothing to a dead connection, so its list is final once
 * removal has read it.
 */
final class ConnAlg {
    /** Most expectations one control connection keeps; the oldest goes when another comes. */
    static final int MAX_EXPECTATIONS = 16;

    final int helper;
    final boolean related;
    final long parentSrcHi;
    final long parentSrcLo;
    final long parentDstHi;
    final long parentDstLo;
    final long parentMeta;

    /** Bytes the payload rewrite added to the skewed direction's sequence space (OVS's seq_skew). */
    int seqSkew;
    /** The direction whose sequence numbers moved: true for replies (OVS's seq_skew_dir). */
    boolean seqSkewReply;
    /** Keys of the expectations this control connection made (null until the first). */
    ArrayDeque<CtExpectations.ExpKey> expectations;

    private ConnAlg(int helper, boolean related, long srcHi, long srcLo, long dstHi, long dstLo, long meta) {
        this.helper = helper;
        this.related = related;
        this.parentSrcHi = srcHi;
        this.parentSrcLo = srcLo;
        this.parentDstHi = dstHi;
        this.parentDstLo = dstLo;
        this.parentMeta = meta;
    }

    /** A control connection committed with {@code helper}. */
    static ConnAlg control(int helper) {
        return new ConnAlg(helper, false, 0, 0, 0, 0, 0);
    }

    /** A connection opened by {@code e}; it has a helper too when its own commit named one. */
    static ConnAlg related(int helper, CtExpectations.Expectation e) {
        return new ConnAlg(helper, true, e.parentSrcHi(), e.parentSrcLo(), e.parentDstHi(), e.parentDstLo(),
                e.parentMeta());
    }
}
