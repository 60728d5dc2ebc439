/**
 * The running switch: pool, datapath, ports and slow path built from a config snapshot, each
 * given its own part of it, and reloads applied as differences (the snapshot's
 * {@code ReloadPlan}).
 */
package dev.jvswitch.vswitchd.run;
