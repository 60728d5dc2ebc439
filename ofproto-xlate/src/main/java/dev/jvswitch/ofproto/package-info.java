/** OpenFlow bridges, tables, groups, MAC learning and translation into datapath actions (issue 4). */
package dev.jvswitch.ofproto;
