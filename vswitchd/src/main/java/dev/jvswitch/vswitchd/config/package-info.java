/**
 * The daemon's side of the config model (module switch-config): what switch-config cannot know
 * because it cannot import ofproto — ofproto's defaults going in, ofproto's config types coming
 * out ({@link dev.jvswitch.vswitchd.config.OfprotoConfigs}).
 */
package dev.jvswitch.vswitchd.config;
