/** jvsctl, the command-line client of the control socket. */
package dev.jvswitch.vswitchd.ctl;
