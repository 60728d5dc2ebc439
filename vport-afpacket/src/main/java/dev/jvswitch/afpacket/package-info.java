/** AF_PACKET ports with TPACKET_V3 mmap rings through JNR-FFI (issue 6). */
package dev.jvswitch.afpacket;
