package io.coedge.api.grpc;

import io.coedge.Eventually;
import io.coedge.RunningNode;
import io.coedge.TestNodes;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A stream that never half-closes is closed with its silent connection ({@code http.idle-timeout-s}). */
@Timeout(120)
class GrpcIdleStreamTest {

  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.TEST_MODELS, Map.of("http.idle-timeout-s", "2"));

  @Test
  void aStreamThatNeverHalfClosesIsClosedWithItsIdleConnection() {
    try (GrpcTestClient idle = new GrpcTestClient(NODE.gateway().grpcPort())) {
      Eventually.await(idle.openStream(GrpcApiTest.addOne("idle", 1, 2, 3, 4)));
      Eventually.within(60_000, "the stream counted", () -> GrpcHostileInputTest.openStreams(NODE) >= 1);
      GrpcHostileInputTest.nothingLeftOpenAndStillServing(NODE, idle);
    }
  }
}
