/**
 * The control socket: a Unix domain socket (mode 0600) with one JSON line each way
 * ({@link dev.jvswitch.vswitchd.control.ControlProtocol}), and the commands it serves, named as
 * in ovs-appctl and ovs-ofctl ({@link dev.jvswitch.vswitchd.control.SwitchCommands}).
 */
package dev.jvswitch.vswitchd.control;
