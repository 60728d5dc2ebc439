/**
 * Open vSwitch as an oracle for tests: {@link dev.jvswitch.testkit.ovs.OvsOracle} runs a private
 * {@code ovsdb-server} and {@code ovs-vswitchd} on the dummy datapath and traces flows and packets
 * there ({@link dev.jvswitch.testkit.ovs.OvsOracleExtension} gives a test class one for all its
 * tests); {@link dev.jvswitch.testkit.ovs.OvsCase} reads the differential corpus (flow tables,
 * packets and the documented deviations from OVS) and compares an OVS trace with jvswitch's, with
 * {@link dev.jvswitch.testkit.ovs.MegaflowMatch} comparing {@code Megaflow:} lines by meaning.
 * Nothing here knows jvswitch's types: it drives processes and reads text.
 */
package dev.jvswitch.testkit.ovs;
