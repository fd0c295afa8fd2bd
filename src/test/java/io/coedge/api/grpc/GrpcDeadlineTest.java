package io.coedge.api.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GrpcDeadlineTest {

  @Test
  void everyUnitOfGrpcTimeoutBecomesMicrosecondsAndASubMicrosecondDeadlineIsNotNone() {
    assertEquals(7_200_000_000L, GrpcInferenceService.deadlineUs("2H", 0));
    assertEquals(180_000_000L, GrpcInferenceService.deadlineUs("3M", 0));
    assertEquals(5_000_000L, GrpcInferenceService.deadlineUs("5S", 0));
    assertEquals(1_000L, GrpcInferenceService.deadlineUs("1m", 0));
    assertEquals(250L, GrpcInferenceService.deadlineUs("250u", 0));
    assertEquals(1L, GrpcInferenceService.deadlineUs("1n", 0), "1 ns is a deadline, not none");
    assertEquals(2L, GrpcInferenceService.deadlineUs("1500n", 0));
  }

  @Test
  void anAbsentOrMalformedHeaderFallsBackToWhatVertxRead() {
    assertEquals(0, GrpcInferenceService.deadlineUs(null, 0));
    assertEquals(4_000, GrpcInferenceService.deadlineUs("x", 4));
    assertEquals(4_000, GrpcInferenceService.deadlineUs("12q", 4));
    assertEquals(4_000, GrpcInferenceService.deadlineUs("abcS", 4));
    assertEquals(4_000, GrpcInferenceService.deadlineUs("1234567890S", 4), "more than 8 digits is not grpc-timeout");
  }
}
