/** The daemon: config file, wiring, control socket and jvsctl (issue 7). */
package dev.jvswitch.vswitchd;
