/**
 * Network namespaces for root-only tests: {@link dev.jvswitch.testkit.netns.Topology} (veth pairs
 * with the switch's end in the root namespace), {@link dev.jvswitch.testkit.netns.Hosts} (hosts
 * with addresses around a switch namespace, as {@code bin/jvs-demo} builds them),
 * {@link dev.jvswitch.testkit.netns.Offloads} and {@link dev.jvswitch.testkit.netns.Peer} (a raw
 * socket peer run inside a namespace). Every name carries random hex digits, everything is
 * removed on close, and traffic stays between namespaces the test made.
 */
package dev.jvswitch.testkit.netns;
