package dev.jvswitch.ofproto.upcall;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.jvswitch.ofproto.xlate.FrozenState;
import dev.jvswitch.ofproto.xlate.RecircAllocator;

/**
 * The recirculation ids in use (OVS's {@code recirc_id_node} pool): one id per distinct
 * {@link FrozenState}, so every translation that freezes at the same point shares it, and the
 * state behind an id for the pass that comes back with it.
 *
 * <p><b>Lifetime.</b> OVS counts references from ukeys; here ids are marked and swept instead.
 * Every use (allocation by a translation, lookup by a recirculated upcall or a revalidation)
 * stamps the id with the current generation. A revalidator starts a round with {@link #mark()},
 * revalidates every flow (which uses every id still needed), then calls {@link #sweep(long)} to
 * retire the rest; a packet that recirculates with a retired id misses with
 * {@code RECIRC_ID_UNKNOWN} and is dropped. Until revalidators exist nothing is retired.
 *
 * <p><b>Thread-safety:</b> PMD threads allocate and look up concurrently; both maps are
 * concurrent. A new id is put into the id map inside the state map's {@code computeIfAbsent}, so
 * it is findable by id before any translation can hand it to the datapath. The generation stamp
 * is a plain racy write of a monotonic value: a sweep may see a slightly old stamp, which only
 * keeps an id one round longer.
 */
public final class RecircRegistry implements RecircAllocator {
    private static final class Node {
        final int id;
        final FrozenState state;
        volatile long generation;

        Node(int id, FrozenState state, long generation) {
            this.id = id;
            this.state = state;
            this.generation = generation;
        }
    }

    private final ConcurrentHashMap<FrozenState, Node> byState = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Node> byId = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicLong generation = new AtomicLong();

    @Override
    public int recircId(FrozenState state) {
        long gen = generation.get();
        Node n = byState.get(state);
        if (n == null) {
            n = byState.computeIfAbsent(state, s -> {
                Node created = new Node(freeId(), s, gen);
                byId.put(created.id, created);
                return created;
            });
        }
        n.generation = gen;
        return n.id;
    }

    @Override
    public FrozenState frozenState(int recircId) {
        Node n = byId.get(recircId);
        if (n == null) {
            return null;
        }
        n.generation = generation.get();
        return n.state;
    }

    /** Starts a revalidation round; ids not used from now on can be swept with the result. */
    public long mark() {
        return generation.incrementAndGet();
    }

    /** Retires every id not used since {@code mark}; returns how many. */
    public int sweep(long mark) {
        int removed = 0;
        for (Node n : byId.values()) {
            if (n.generation < mark && byId.remove(n.id, n)) {
                byState.remove(n.state, n);
                removed++;
            }
        }
        return removed;
    }

    /** Number of ids in use. */
    public int size() {
        return byId.size();
    }

    private int freeId() {
        while (true) {
            int id = nextId.getAndIncrement();
            if (id != 0 && !byId.containsKey(id)) {
                return id;
            }
        }
    }
}
