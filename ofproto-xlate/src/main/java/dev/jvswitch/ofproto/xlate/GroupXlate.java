package dev.jvswitch.ofproto.xlate;

import java.util.List;

import dev.jvswitch.flowcache.hash.FlowHash;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.group.Bucket;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.group.GroupType;
import dev.jvswitch.ofproto.group.SelectionMethod;

/**
 * The {@code group:N} action (OVS's {@code xlate_group_action}). Every bucket runs in a scope
 * ({@link XlateContext#runInScope}): as if on its own copy of the packet.
 *
 * <ul>
 *   <li>{@code all}, {@code indirect}: every bucket, in order.</li>
 *   <li>{@code ff}: the first live bucket (watch_port up, or watch_group with a live bucket).</li>
 *   <li>{@code select}, {@code selection_method=hash}: the listed fields of the flow are hashed
 *       and go into the megaflow mask. With equal bucket weights the bucket is OVS's own choice
 *       ({@link OvsSelectHash}), so mixed fleets agree; with unequal weights OVS's score
 *       ({@code hash * weight}) does not share flows in proportion to the weights, and the hash
 *       (the shared {@link FlowHash} mixing) picks a slot of the group's {@link BucketTable},
 *       whose shares are the weights'.</li>
 *   <li>{@code select}, {@code selection_method=dp_hash} (and the default): the first pass
 *       freezes at the group and emits {@code hash(l4(basis)),recirc(id)}; the datapath computes
 *       {@code FlowHash.dpHash(rssHash, basis)}, the same function in fast and slow path. The
 *       recirculated pass runs the group again, matches the low bits of {@code dp_hash}
 *       ({@link BucketTable#hashMask()}) and picks the slot they name.</li>
 * </ul>
 *
 * A select slot whose bucket is not live passes to the next live slot, so flows of live buckets
 * never move when another bucket goes down. Liveness is not in the flow key: whoever changes it
 * must make megaflows revalidate.
 */
final class GroupXlate {
    /**
     * Deepest chain of watch_group references followed: each level may try every bucket, so the
     * bound keeps a cycle of groups watching each other from costing exponential time.
     */
    private static final int MAX_WATCH_DEPTH = 4;

    private GroupXlate() {
    }

    /** Returns true if the group does not exist (which ends the action list, as in OVS). */
    static boolean run(XlateContext c, long groupId) {
        if (!c.resourceCheck()) {
            return false;
        }
        Group g = c.bridge.tables().group(groupId);
        if (g == null) {
            c.report(TraceNode.Kind.WARN, "output to nonexistent group " + groupId);
            return true;
        }
        if (g.type() == GroupType.ALL || g.type() == GroupType.INDIRECT) {
            c.groupHit(g, -1);
            List<Bucket> buckets = g.buckets();
            for (int i = 0; i < buckets.size() && c.error == null; i++) {
                c.groupHit(g, i);
                bucket(c, buckets.get(i));
            }
            return false;
        }
        Bucket b = g.type() == GroupType.FAST_FAILOVER ? firstLive(c, g, 0) : select(c, g);
        if (b != null) {
            if (c.tracing()) {
                c.report(TraceNode.Kind.DETAIL, "using bucket " + b.bucketId());
            }
            c.groupHit(g, -1);
            int pos = position(g, b);
            if (pos >= 0) {
                c.groupHit(g, pos);
            }
            bucket(c, b);
        } else if (!c.freezing) {
            // (A dp_hash select that recirculates counts in the pass that picks the bucket.)
            c.groupHit(g, -1);
            c.report(TraceNode.Kind.DETAIL, "no live bucket");
        }
        return false;
    }

    /** The position of {@code b} in {@code g}'s buckets, by identity (equals would walk its actions). */
    private static int position(Group g, Bucket b) {
        List<Bucket> buckets = g.buckets();
        for (int i = 0; i < buckets.size(); i++) {
            if (buckets.get(i) == b) {
                return i;
            }
        }
        return -1;
    }

    private static void bucket(XlateContext c, Bucket b) {
        List<TraceNode> old = c.trace;
        if (c.tracing()) {
            c.trace = c.report(TraceNode.Kind.BUCKET, "bucket " + b.bucketId()).subs();
        }
        c.runInScope(b.actions());
        c.trace = old;
    }

    private static Bucket select(XlateContext c, Group g) {
        BucketTable table = c.bridge.bucketTable(g);
        if (table.size() == 0) {
            return null;
        }
        int hash;
        if (g.selectionMethod() == SelectionMethod.HASH && equalWeights(g)) {
            return ovsBestLive(c, g, ovsFieldsHash(c, g));
        } else if (g.selectionMethod() == SelectionMethod.HASH) {
            hash = hashFields(c, g);
        } else if (!c.dpHashValid) {
            c.startFreezing((int) g.selectionBasis());
            c.report(TraceNode.Kind.DETAIL, "selection method in use: dp_hash, recirculating");
            return null;
        } else {
            c.wc.bits(FlowField.DP_HASH, c.wc.get(FlowField.DP_HASH) | table.hashMask());
            hash = (int) c.flow.get(FlowField.DP_HASH);
        }
        for (int i = 0; i < table.size(); i++) {
            Bucket b = table.slot(hash + i);
            if (isLive(c, g, b, 0)) {
                return b;
            }
        }
        return null;
    }

    /** True if every bucket has the same weight: then OVS's choice and the weighted table's agree in share. */
    private static boolean equalWeights(Group g) {
        List<Bucket> buckets = g.buckets();
        for (int i = 1; i < buckets.size(); i++) {
            if (buckets.get(i).weight() != buckets.get(0).weight()) {
                return false;
            }
        }
        return true;
    }

    /**
     * OVS's {@code pick_hash_fields_select_group}: the fields in OVS's field order, each whose
     * header the packet has hashed as its bytes and put into the mask.
     */
    private static int ovsFieldsHash(XlateContext c, Group g) {
        List<FlowField> fields = g.selectionFields();
        int h = OvsSelectHash.basis(g.selectionBasis());
        int lastRank = -1;
        // The few fields in OVS's order, by repeated minimum: nothing allocated per packet.
        for (;;) {
            FlowField f = null;
            int rank = Integer.MAX_VALUE;
            for (int i = 0; i < fields.size(); i++) {
                int r = OvsSelectHash.rank(fields.get(i));
                if (r > lastRank && r < rank) {
                    rank = r;
                    f = fields.get(i);
                }
            }
            if (f == null) {
                return h;
            }
            lastRank = rank;
            if (!FieldWrite.prereqsOk(c, f)) {
                continue;
            }
            c.wc.exact(f);
            int n = OvsSelectHash.bytes(f);
            h = f.is128() ? OvsSelectHash.hashField(h, c.flow.getHigh(f), c.flow.getLow(f), n)
                    : OvsSelectHash.hashField(h, 0, c.flow.get(f), n);
        }
    }

    /** OVS's {@code group_best_live_bucket}: the highest score, the later bucket on a tie. */
    private static Bucket ovsBestLive(XlateContext c, Group g, int basis) {
        Bucket best = null;
        long bestScore = 0;
        List<Bucket> buckets = g.buckets();
        // Indexed: an iterator would be an allocation per upcall unless escape analysis removes it.
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            if (!isLive(c, g, b, 0)) {
                continue;
            }
            long score = OvsSelectHash.score(b.bucketId(), basis, b.weight());
            if (score >= bestScore) {
                best = b;
                bestScore = score;
            }
        }
        return best;
    }

    /**
     * The {@code fields(...)} of a hash select group: each field whose header the packet has is
     * mixed in (64 bits at a time) and put into the mask; the group's basis seeds the hash.
     */
    private static int hashFields(XlateContext c, Group g) {
        int h = (int) g.selectionBasis();
        int bytes = 0;
        List<FlowField> fields = g.selectionFields();
        for (int i = 0; i < fields.size(); i++) {
            FlowField f = fields.get(i);
            if (!FieldWrite.prereqsOk(c, f)) {
                continue;
            }
            c.wc.exact(f);
            if (f.is128()) {
                h = FlowHash.mix64(h, c.flow.getHigh(f));
                h = FlowHash.mix64(h, c.flow.getLow(f));
                bytes += 16;
            } else {
                h = FlowHash.mix64(h, c.flow.get(f));
                bytes += 8;
            }
        }
        return FlowHash.finish(h, bytes);
    }

    private static Bucket firstLive(XlateContext c, Group g, int depth) {
        List<Bucket> buckets = g.buckets();
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            if (isLive(c, g, b, depth)) {
                return b;
            }
            if (depth == 0 && c.tracing()) {
                c.report(TraceNode.Kind.DETAIL, "bucket " + b.bucketId() + ": not live");
            }
        }
        return null;
    }

    /** OVS's {@code bucket_is_alive}: no watch means live; else the watched port or group is. */
    private static boolean isLive(XlateContext c, Group g, Bucket b, int depth) {
        if (b.weight() == 0 && g.type() == GroupType.SELECT) {
            return false;
        }
        if (!b.watchesPort() && !b.watchesGroup()) {
            return true;
        }
        if (b.watchesPort() && portLive(c, b.watchPort())) {
            return true;
        }
        if (b.watchesGroup() && depth < MAX_WATCH_DEPTH) {
            Group watched = c.bridge.tables().group(b.watchGroup());
            return watched != null && firstLive(c, watched, depth + 1) != null;
        }
        return false;
    }

    private static boolean portLive(XlateContext c, int ofPort) {
        OfPort p = c.bridge.config().byOfPort(ofPort);
        if (p == null) {
            return false;
        }
        if (p.isPatch()) {
            return c.snapshot.patchPeer(p) != null;
        }
        return c.liveness.isLive(p);
    }
}
