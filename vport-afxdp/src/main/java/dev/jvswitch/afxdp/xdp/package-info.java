/**
 * The XDP side of an AF_XDP port: the redirect program as constant bytecode
 * ({@link dev.jvswitch.afxdp.xdp.RedirectProgram}) and its attachment to an interface through an
 * XSKMAP and a BPF link ({@link dev.jvswitch.afxdp.xdp.XdpAttachment}).
 */
package dev.jvswitch.afxdp.xdp;
