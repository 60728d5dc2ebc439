/** VXLAN tunnel ports: header template, push/pop, underlay resolution (a later issue). */
package dev.jvswitch.vxlan;
