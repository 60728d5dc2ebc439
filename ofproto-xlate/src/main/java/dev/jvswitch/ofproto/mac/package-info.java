/**
 * MAC learning (OVS's {@code mac-learning}): one table per bridge of (VLAN, MAC) to OpenFlow port with
 * aging, and the records of what a translation learned or looked up ({@code MacLearning},
 * {@code MacDependency}) that revalidators use. The NORMAL action that reads and fills it is
 * translation's ({@code dev.jvswitch.ofproto.xlate.NormalXlate}).
 */
package dev.jvswitch.ofproto.mac;
