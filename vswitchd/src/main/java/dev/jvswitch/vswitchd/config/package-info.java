/**
 * The config file: YAML read through SnakeYAML's node API (for line numbers), validated before
 * anything starts, into an immutable {@link dev.jvswitch.vswitchd.config.SwitchConfig}.
 */
package dev.jvswitch.vswitchd.config;
