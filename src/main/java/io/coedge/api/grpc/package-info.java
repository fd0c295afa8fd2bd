/**
 * The Open Inference Protocol over gRPC (KServe's GRPCInferenceService with Triton's additions): a codec between the
 * generated protobuf messages and the same request objects the REST codec makes, on its own HTTP/2 listener.
 */
package io.coedge.api.grpc;
