/**
 * Model repository and lifecycle (load, warm up, swap, drain), the ONNX Runtime engine, the per-model scheduler
 * and dynamic batcher, and the tensor types they share. Nothing here knows about HTTP beyond the status an error carries.
 */
package io.coedge.inference;
