/**
 * Commands with a time bound ({@link dev.jvswitch.testkit.sh.Sh}) and bounded waiting
 * ({@link dev.jvswitch.testkit.sh.Await}): what a test uses instead of a bare process or a sleep.
 */
package dev.jvswitch.testkit.sh;
