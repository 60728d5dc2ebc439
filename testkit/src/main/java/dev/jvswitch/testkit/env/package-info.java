/**
 * What tests need from the machine they run on, and whether a missing need skips or fails them
 * ({@link dev.jvswitch.testkit.env.Needs}).
 */
package dev.jvswitch.testkit.env;
