/**
 * The OpenFlow channel: controllers and clients such as {@code ovs-ofctl} program a bridge over
 * TCP or a Unix socket. {@link dev.jvswitch.openflow.OpenFlowChannels} runs one
 * {@code channel.OfBridge} per bridge with targets, on one Netty event loop thread.
 *
 * <p>Packages, bottom up: {@code backend} (what the channel needs of the switch, implemented by
 * the daemon: a change thread to run requests on, ofproto's model, ports) → {@code codec}
 * (openflowj messages to and from ofproto-xlate's flow-mod model; {@code OxmTable} is the one
 * mapping of match fields) → {@code channel} (Netty: framing, connections, listeners with the
 * {@code ConnectionGuard} rules, controllers with backoff, requests run on the change thread) →
 * this package.
 *
 * <p>Floor 5: it depends on ofproto-xlate and switch-config. It is the only module that may
 * import the OpenFlow codec library (openflowj) or Netty; nothing on a lower floor imports it,
 * and it never imports {@code dev.jvswitch.ovsdb..} (the same floor) or
 * {@code dev.jvswitch.vswitchd..} (above). The module-floor test enforces this.
 */
package dev.jvswitch.openflow;
