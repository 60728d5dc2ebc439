/**
 * Reloads: {@link dev.jvswitch.config.reload.ReloadPlan}, the difference between the running
 * snapshot and a new one, including what cannot change without a restart.
 */
package dev.jvswitch.config.reload;
