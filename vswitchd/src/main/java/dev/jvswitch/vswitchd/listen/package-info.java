/**
 * What every listening socket of the daemon shares: a cap on concurrent clients, an idle
 * timeout, and an accept path that survives descriptor exhaustion ({@link
 * dev.jvswitch.vswitchd.listen.ConnectionGuard}). It depends on the JDK only, so that a listener
 * in a lower module (the OpenFlow channel) can take it with it.
 */
package dev.jvswitch.vswitchd.listen;
