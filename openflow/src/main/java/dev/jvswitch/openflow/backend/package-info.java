/** What the OpenFlow channel needs of the switch, per bridge; the daemon implements it. */
package dev.jvswitch.openflow.backend;
