/**
 * Stage 3 of a lookup: the megaflow classifier (tuple-space search over one subtable per mask,
 * ranked by hits), one per in_port per PMD.
 *
 * <p><b>Shape.</b> {@link dev.jvswitch.flowcache.dpcls.Dpcls} holds the subtables in rank order
 * and looks a batch up subtable by subtable, each time only for the packets still unmatched.
 * A {@link dev.jvswitch.flowcache.dpcls.Subtable} is an open-addressing table over the mask's
 * non-zero key words only, in three parallel arrays: a 32-bit tag per slot (0 = empty), the
 * masked key words, the flow. What a lookup costs is mostly how many subtables it tries and
 * what each try touches, so:
 * <ul>
 *   <li>a try that misses (most tries, with many masks) reads only tags, 16 to a cache line;
 *       key words on a tag match, the flow (for its dead flag) on a full match;</li>
 *   <li>the subtable hash is a sum of independent products, one per mask word, and one final
 *       mixing round, computed by straight-line code for masks of up to eight words (every IPv4
 *       megaflow; OVS specialises its subtable lookups by word count the same way);</li>
 *   <li>a batch runs each subtable in three passes (hash and first tag of every pending packet,
 *       probe, read the matched flows), so that the cache misses of a whole batch overlap
 *       instead of following each other (OVS prefetches the buckets of a batch to the same
 *       end);</li>
 *   <li>once a second the PMD re-ranks the subtables by their recent hits, so skewed traffic
 *       tries its busy masks first; uniform traffic over k masks tries (k + 1) / 2 of them on
 *       average whatever the order.</li>
 * </ul>
 *
 * <p>Lookups allocate nothing; inserting may grow a table (slow path). A dead flow is skipped,
 * never returned. {@code DpclsPropertyTest} checks every answer against a linear scan of the
 * live flows.
 *
 * <p><b>Thread-safety:</b> a classifier and its subtables belong to one PMD thread.
 */
package dev.jvswitch.flowcache.dpcls;
