/**
 * Logging at run time, as OVS's vlog: Logback behind SLF4J configured in code ({@link Vlog}),
 * OVS's module names mapped onto jvswitch's loggers ({@link VlogModule}), levels changed while the
 * daemon runs ({@code vlog/list}, {@code vlog/set}, {@code vlog/reopen}: {@link VlogCommands}),
 * and rate-limited warnings ({@link RateLimiter}, OVS's {@code VLOG_RL}). Per-packet events are
 * counters on the PMDs; {@link PacketEventLog} turns their growth into rate-limited warnings on the
 * control thread, so a PMD never logs.
 */
package dev.jvswitch.vswitchd.vlog;
