/**
 * Frames as byte arrays: {@link dev.jvswitch.testkit.frame.Frames} builds valid Ethernet frames
 * (every length and checksum filled in), {@link dev.jvswitch.testkit.frame.ReferenceFrames} holds
 * bytes an independent library produced, and {@link dev.jvswitch.testkit.frame.MarkedFrames}
 * makes frames a test can pick out of an interface's own traffic. Not for a hot path: building
 * allocates.
 */
package dev.jvswitch.testkit.frame;
