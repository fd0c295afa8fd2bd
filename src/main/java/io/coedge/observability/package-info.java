/**
 * Metrics (a tiny interface with a NOOP, bound to Micrometer/Prometheus at wiring; every name in
 * {@code MetricName}) and the readiness checks each part registers.
 */
package io.coedge.observability;
