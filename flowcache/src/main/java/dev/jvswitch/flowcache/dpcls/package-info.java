/**
 * Stage 3 of a lookup: the megaflow classifier (tuple-space search over one subtable per mask,
 * ranked by hits), one per in_port per PMD.
 */
package dev.jvswitch.flowcache.dpcls;
