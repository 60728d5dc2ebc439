/**
 * Stage 2 of a lookup (optional): the per-PMD signature match cache, key hash signature to
 * megaflow, verified against the megaflow's match.
 */
package dev.jvswitch.flowcache.smc;
