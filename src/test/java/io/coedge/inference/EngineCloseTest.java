package io.coedge.inference;

import io.coedge.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigSource;
import io.coedge.config.InferenceConfig;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing the engine while the 16 MB shipped model is still loading: close waits for the loading threads (a session
 * closed, or the JVM left, while ONNX Runtime creates one crashed the process), and start then has an answer.
 */
@Timeout(120)
class EngineCloseTest {

  @Test
  void closeDuringLoadingWaitsForTheLoadsAndAnswersStart() throws Exception {
    InferenceConfig config = CoedgeConfig.from(ConfigSource.of(Map.of("inference.models-dir", "models",
        "inference.model-control", "explicit"))).inference();
    OnnxInferenceEngine engine = new OnnxInferenceEngine(config, Scheduler.Listener.NOOP);
    CountDownLatch loading = new CountDownLatch(1);
    engine.control().listen(v -> {
      if (v.state() == ModelVersion.State.LOADING) {
        loading.countDown();
      }
    });
    Future<Void> started = engine.start();
    assertTrue(loading.await(60, TimeUnit.SECONDS), "a version began loading");
    Eventually.await(engine.close());
    assertTrue(started.isComplete(), "start is answered once close has returned");
    Future<?> late = engine.control().load("sensor-anomaly", null);
    Throwable why = Eventually.await(late.transform(ar -> Future.succeededFuture(ar.cause())));
    assertTrue(why instanceof InferenceException, String.valueOf(why));
    assertEquals(503, ((InferenceException) why).status());
  }
}
