/**
 * Configuration: one immutable, validated record per section, loaded from YAML, {@code COEDGE_*}
 * environment variables and flags. A bad value stops the process before any port opens.
 */
package io.coedge.config;
