/**
 * Metrics (a tiny interface with a NOOP, bound to Micrometer/Prometheus at wiring; every name in
 * {@code MetricName}) and the readiness checks each part registers; request tracing ({@code Tracing}, no-op when
 * off, OTLP when on) and the logging changed at run time ({@code LogControl}).
 */
package io.coedge.observability;
