/**
 * The datapath's upcall handler implemented by ofproto (translate against the current snapshot,
 * return actions, mask and ukey data) and the registry of recirculation ids.
 */
package dev.jvswitch.ofproto.upcall;
