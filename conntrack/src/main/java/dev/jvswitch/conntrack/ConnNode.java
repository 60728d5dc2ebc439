package dev.jvswitch.conntrack;

/**
 * One direction of a connection in the table's hash chains: the key of that direction and the
 * connection it belongs to. A connection has two nodes, so a packet of either direction finds it
 * with one lookup (OVS's {@code conn_key_node}). The original direction's node is the
 * {@link Conn} itself (a subclass), so a new connection is two objects, not three, and a packet
 * of the original direction reaches its connection without another dependent load; after a
 * resize the new table holds a plain copy of it (see {@link ConnTable}).
 *
 * <p><b>Thread-safety:</b> everything but {@link #next} is final. {@code next} is written only
 * under the table's write lock and read by any lookup thread without a lock (a volatile field:
 * a release store paired with the reader's acquire load). A node unlinked from its chain keeps
 * its {@code next}, so a reader standing on it walks on to the rest of the chain, and the garbage
 * collector, not the table, decides when it may be reused: no reader ever sees a recycled node.
 */
sealed class ConnNode permits Conn {
    final long srcHi;
    final long srcLo;
    final long dstHi;
    final long dstLo;
    final long meta;
    final int hash;
    final Conn conn;
    final boolean reply;
    volatile ConnNode next;

    /** A node of {@code conn}; {@code conn} null makes this node its own connection (a {@link Conn}). */
    ConnNode(CtKey k, Conn conn, boolean reply) {
        this.srcHi = k.srcHi;
        this.srcLo = k.srcLo;
        this.dstHi = k.dstHi;
        this.dstLo = k.dstLo;
        this.meta = k.meta;
        this.hash = k.hash;
        this.conn = conn == null ? (Conn) this : conn;
        this.reply = reply;
    }

    /** A copy for a resized table (same key, same connection, no successor yet). */
    ConnNode(ConnNode o) {
        this.srcHi = o.srcHi;
        this.srcLo = o.srcLo;
        this.dstHi = o.dstHi;
        this.dstLo = o.dstLo;
        this.meta = o.meta;
        this.hash = o.hash;
        this.conn = o.conn;
        this.reply = o.reply;
    }

    boolean matches(CtKey k) {
        return hash == k.hash && meta == k.meta && srcLo == k.srcLo && dstLo == k.dstLo
                && srcHi == k.srcHi && dstHi == k.dstHi;
    }
}
