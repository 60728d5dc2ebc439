/** OpenFlow actions as ovs-ofctl knows them, one record per action. */
package dev.jvswitch.ofproto.action;
