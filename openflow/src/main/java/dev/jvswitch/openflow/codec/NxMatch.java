package dev.jvswitch.openflow.codec;

import java.util.List;

import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.Masked;
import org.projectfloodlight.openflow.types.OFValueType;

import com.google.common.hash.PrimitiveSink;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * An openflowj match plus the {@code NXM_NX_TUN_METADATA<N>} entries openflowj cannot hold
 * ({@link NxTunMetadata}): the fields openflowj knows are asked of the library's match; writing
 * appends the extra entries to its OXM list, so a flow stats reply, a flow-removed message or an
 * error's copy of a flow mod carry them wherever the library writes a match.
 *
 * <pre>
 *  ofp_match: type 1 (16) | length (16, unpadded) | library's OXMs | extra entries | zeros to a multiple of 8
 * </pre>
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class NxMatch implements Match {
    private final Match base;
    private final List<NxTunMetadata.Entry> extra;

    NxMatch(Match base, List<NxTunMetadata.Entry> extra) {
        this.base = base;
        this.extra = List.copyOf(extra);
    }

    /** The match openflowj read or built. */
    public Match base() {
        return base;
    }

    /** The {@code tun_metadataN} entries, in wire order. */
    public List<NxTunMetadata.Entry> extra() {
        return extra;
    }

    @Override
    public void writeTo(ByteBuf bb) {
        ByteBuf tmp = Unpooled.buffer(128);
        int start = bb.writerIndex();
        try {
            base.writeTo(tmp);
            bb.writeBytes(tmp, 0, tmp.getUnsignedShort(2));
        } finally {
            tmp.release();
        }
        for (NxTunMetadata.Entry e : extra) {
            e.writeTo(bb);
        }
        int len = bb.writerIndex() - start;
        bb.setShort(start + 2, len);
        bb.writeZero(((len + 7) & ~7) - len);
    }

    @Override
    public OFVersion getVersion() {
        return base.getVersion();
    }

    @Override
    public void putTo(PrimitiveSink sink) {
        base.putTo(sink);
        for (NxTunMetadata.Entry e : extra) {
            e.putTo(sink);
        }
    }

    @Override
    public <F extends OFValueType<F>> F get(MatchField<F> field) {
        return base.get(field);
    }

    @Override
    public <F extends OFValueType<F>> Masked<F> getMasked(MatchField<F> field) {
        return base.getMasked(field);
    }

    @Override
    public boolean supports(MatchField<?> field) {
        return base.supports(field);
    }

    @Override
    public boolean supportsMasked(MatchField<?> field) {
        return base.supportsMasked(field);
    }

    @Override
    public boolean isExact(MatchField<?> field) {
        return base.isExact(field);
    }

    @Override
    public boolean isFullyWildcarded(MatchField<?> field) {
        return base.isFullyWildcarded(field);
    }

    @Override
    public boolean isPartiallyMasked(MatchField<?> field) {
        return base.isPartiallyMasked(field);
    }

    @Override
    public Iterable<MatchField<?>> getMatchFields() {
        return base.getMatchFields();
    }

    @Override
    public Builder createBuilder() {
        return base.createBuilder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NxMatch n && n.base.equals(base) && n.extra.equals(extra);
    }

    @Override
    public int hashCode() {
        return base.hashCode() * 31 + extra.hashCode();
    }

    @Override
    public String toString() {
        return base + "+" + extra;
    }
}
