/**
 * OpenFlow rules, the per-table priority classifier that records the megaflow wildcards of each
 * lookup (staged lookup, prefix tries per table, a ports trie per subtable), and the immutable
 * versioned snapshots of all tables and groups ({@code OfTables}).
 */
package dev.jvswitch.ofproto.table;
