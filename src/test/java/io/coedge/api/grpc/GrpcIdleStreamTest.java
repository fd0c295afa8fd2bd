package io.coedge.api.grpc;

import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ModelInfer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import io.coedge.Eventually;
import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A stream that never half-closes is closed with its silent connection ({@code http.idle-timeout-s}). */
@Timeout(120)
class GrpcIdleStreamTest {

  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.TEST_MODELS, Map.of("http.idle-timeout-s", "3"));

  @Test
  void aStreamThatNeverHalfClosesIsClosedWithItsIdleConnection() {
    try (GrpcTestClient idle = new GrpcTestClient(NODE.gateway().grpcPort())) {
      // a first call loads the client's classes and opens its connection: on a busy machine a cold client took over
      // the idle timeout to open the stream, and the connection closed under it
      assertEquals(GrpcStatus.OK, idle.call(ModelInfer, GrpcApiTest.addOne("warm", 1, 2, 3, 4)).status());
      Eventually.await(idle.openStream(GrpcApiTest.addOne("idle", 1, 2, 3, 4)));
      Eventually.within(60_000, "the stream counted", () -> GrpcHostileInputTest.openStreams(NODE) >= 1);
      GrpcHostileInputTest.nothingLeftOpenAndStillServing(NODE, idle);
    }
  }
}
