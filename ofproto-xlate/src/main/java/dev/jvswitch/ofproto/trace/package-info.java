/** {@code ofproto/trace}: a flow or packet through the tables, printed the way OVS prints it. */
package dev.jvswitch.ofproto.trace;
