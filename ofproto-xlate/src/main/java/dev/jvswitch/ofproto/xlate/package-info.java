/**
 * Translation (the xlate stage of the slow path): a missed packet's flow key, walked through the
 * OpenFlow tables of an immutable snapshot, becomes a datapath action program and a megaflow
 * mask. Entry point {@link dev.jvswitch.ofproto.xlate.Xlate}; state and pipeline
 * {@link dev.jvswitch.ofproto.xlate.XlateContext}; one class per stage (actions, outputs,
 * groups, commit of field changes).
 */
package dev.jvswitch.ofproto.xlate;
