/**
 * Test support for every module: {@code frame} (frame builders, reference and marked frames),
 * {@code sh} (commands with a time bound, bounded waiting), {@code netns} (namespaces, veths,
 * hosts and the raw-socket peer that runs in them) and {@code ovs} (Open vSwitch as a translation
 * oracle and the differential corpus format).
 *
 * <p>This module sits below {@code mempool} and imports nothing of ours: a Maven module cannot be
 * both below and above another, and {@code flowcache}'s own tests need the frame builder. What
 * needs the datapath's types (the datapath harness, the port contract test) lives in
 * {@code pmd-core}'s test-jar instead. Product modules use this module in test scope only.
 */
package dev.jvswitch.testkit;
