/**
 * Benchmarks for issues 2 and 5: an open-loop load generator (plain HTTP, HTTPS, HTTP/2, extra headers), a search
 * for the highest sustainable rate, an in-process ONNX Runtime baseline and a trivial HTTP+JSON server. Run from
 * {@code bench/*.sh}, never by surefire; only the tests of the tools' options ({@code *Test}) are.
 */
package io.coedge.bench;
