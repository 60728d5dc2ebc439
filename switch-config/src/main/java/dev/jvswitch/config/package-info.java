/**
 * The configuration model: what the switch runs by, as one validated, immutable snapshot per
 * consumer, whoever produced it.
 *
 * <p>{@link dev.jvswitch.config.SwitchConfig} is the whole: the datapath's own
 * {@link dev.jvswitch.pmd.DatapathConfig} (built here, handed to the datapath as is), the
 * revalidators' {@link dev.jvswitch.config.RevalidatorSettings}, the pool's
 * {@link dev.jvswitch.config.MempoolSettings} (around a {@code MbufPoolConfig}), bridges
 * ({@link dev.jvswitch.config.BridgeSpec}: ports, flows, groups and the bridge's
 * {@link dev.jvswitch.config.BridgeSettings}) and {@link dev.jvswitch.config.ControlSettings}.
 * The daemon maps the OpenFlow side's snapshots onto ofproto's types, which this module cannot
 * import.
 *
 * <p><b>Rules.</b> A producer validates once, at load, reporting every problem as
 * {@code FILE:LINE: KEY: message} through {@link dev.jvswitch.config.Diagnostics}, and fills
 * every default; consumers trust what they get. Key names and ranges are in
 * {@link dev.jvswitch.config.ConfigKeys}, which also says where each default is defined (once).
 * What only the OpenFlow side knows — flow syntax and its defaults — comes in through
 * {@link dev.jvswitch.config.ConfigEnvironment}.
 *
 * <p>Producers: {@code yaml} (the config file); an OVSDB client is to produce the same snapshot.
 * {@code reload} compares two snapshots. {@code listen} holds the rules every listening socket
 * applies to its clients (cap, idle timeout, accept failures), for all the modules that listen.
 */
package dev.jvswitch.config;
