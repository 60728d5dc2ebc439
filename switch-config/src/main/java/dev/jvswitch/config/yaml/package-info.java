/**
 * The YAML producer: the config file read through SnakeYAML's node API (for line numbers),
 * validated before anything starts, into a {@link dev.jvswitch.config.SwitchConfig}.
 */
package dev.jvswitch.config.yaml;
