package dev.jvswitch.pmd.netdev.sys;

import dev.jvswitch.pmd.netdev.NetdevException;

/**
 * Names the port and interface a system call was made for, so that every failure becomes one
 * line a user can act on: {@code port p1: bind(AF_PACKET) on interface veth0 failed: No such
 * device (ENODEV)} or {@code port p1: bind(AF_XDP, queue 0) on interface veth0 failed: Device or
 * resource busy (EBUSY)}.
 *
 * @param port   the datapath port name
 * @param ifname the Linux interface the port is bound to
 */
public record Where(String port, String ifname) {
    /** The exception for {@code call} having failed with {@code errno}. */
    public NetdevException fail(String call, int errno) {
        return new NetdevException(
                "port " + port + ": " + call + " on interface " + ifname + " failed: " + Syscalls.describe(errno));
    }

    /** As {@link #fail}, with what the user can do about it after the error. */
    public NetdevException fail(String call, int errno, String hint) {
        return new NetdevException("port " + port + ": " + call + " on interface " + ifname + " failed: "
                + Syscalls.describe(errno) + ": " + hint);
    }

    /** The exception for a problem that is not a failed call. */
    public NetdevException problem(String what) {
        return new NetdevException("port " + port + ": interface " + ifname + ": " + what);
    }
}
