/**
 * Benchmarks for issue 2: an open-loop load generator, a search for the highest sustainable rate, an
 * in-process ONNX Runtime baseline and a trivial HTTP+JSON server. Run from {@code bench/*.sh}, never by surefire.
 */
package io.coedge.bench;
