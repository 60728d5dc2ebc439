/**
 * openflowj's messages to and from ofproto-xlate's flow-mod model: matches through the one field
 * table ({@code OxmTable}), actions and instructions, flow mods and stats, ports, table features,
 * and the OpenFlow error numbers.
 */
package dev.jvswitch.openflow.codec;
