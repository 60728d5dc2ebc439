/**
 * The OpenFlow channel: the wire codec, controller connections over Netty, the connection
 * manager, roles, bundles, the packet-in hand-off (a bounded queue, counted drops: a PMD never
 * touches a channel) and packet-out through a PMD command. Nothing lives here yet; a class
 * arrives with the code that makes it work.
 *
 * <p>Floor 5: messages become ofproto-xlate's flow-mod model ({@code FlowMod}, {@code GroupMod},
 * ...) and back, so this module depends on ofproto-xlate (and on switch-config, for the
 * controller settings, once that module exists). It is the only module that may import an
 * OpenFlow codec library or Netty; nothing on a lower floor imports it, and it never imports
 * {@code dev.jvswitch.ovsdb..} (the same floor) or {@code dev.jvswitch.vswitchd..} (above). The
 * module-floor test enforces this.
 */
package dev.jvswitch.openflow;
