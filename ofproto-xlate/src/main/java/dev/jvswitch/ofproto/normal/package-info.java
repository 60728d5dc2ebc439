/** The NORMAL action: MAC learning per bridge and VLAN, and L2 forwarding with access and trunk ports. */
package dev.jvswitch.ofproto.normal;
