/**
 * The rules every listening socket of the daemon follows, whatever module it lives in (the
 * control socket in vswitchd; the OpenFlow, OVSDB and metrics listeners to come): a cap on
 * concurrent clients, an idle timeout, a listen backlog, and an accept path that survives
 * descriptor exhaustion ({@link dev.jvswitch.config.listen.ConnectionGuard}). It sits with the
 * configuration, where the limits are read, on the lowest floor those listeners share, and
 * depends on the JDK only.
 */
package dev.jvswitch.config.listen;
