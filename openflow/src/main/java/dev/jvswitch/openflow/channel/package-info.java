/**
 * Netty: framing and decoding, one handler per connection, listeners (ptcp, punix) under the
 * listener rules, controller connections with backoff, and the requests each connection queues
 * for the daemon's change thread.
 */
package dev.jvswitch.openflow.channel;
