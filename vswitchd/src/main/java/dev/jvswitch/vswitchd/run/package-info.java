/**
 * The running switch: pool, datapath, ports and slow path built from a config, and reloads
 * applied as differences.
 */
package dev.jvswitch.vswitchd.run;
