/**
 * Stage 1 of a lookup: the per-PMD exact match cache, full key to megaflow.
 */
package dev.jvswitch.flowcache.emc;
