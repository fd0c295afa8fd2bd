/**
 * The HTTP front end: Open Inference Protocol v2 routes, Coedge's own endpoints, and the one failure
 * handler that maps errors to {@code {"error": ...}} answers.
 */
package io.coedge.api;
