package io.coedge.bench;

import com.google.protobuf.ByteString;
import io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient;
import io.coedge.api.grpc.v2.ModelInferRequest;
import io.coedge.api.grpc.v2.ModelStreamInferResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop gRPC load: {@code unary} keeps N ModelInfer calls outstanding on one HTTP/2 connection; {@code stream}
 * keeps N requests in flight on one ModelStreamInfer stream. One JSON line on stdout: answers per second and, with
 * {@code --server-pid}, the server's and this generator's CPU per answer over the measured window.
 * Bodies: {@code sensor} (sensor-anomaly) and {@code mlp} (sensor-anomaly-large) one 1×8 row, {@code frame}
 * (traffic-counter) one 1×3×96×96 frame, all as binary raw_input_contents.
 *
 * <pre>GrpcLoad --port P --body sensor|mlp|frame --mode unary|stream --concurrency N [--duration S] [--warmup S]
 *          [--server-pid PID]</pre>
 */
public final class GrpcLoad {

  static final String USAGE = "--port P --body sensor|mlp|frame --mode unary|stream --concurrency N [--duration S]"
      + " [--warmup S] [--server-pid PID]";

  public static void main(String[] args) {
    BenchArgs.run("GrpcLoad", USAGE, () -> run(new BenchArgs(args, java.util.Set.of("port", "body", "mode",
        "concurrency", "duration", "warmup", "server-pid"))));
  }

  private static void run(BenchArgs a) throws Exception {
    int port = a.integer("port", 0, 1, 65535);
    String body = a.string("body", "sensor");
    String mode = a.string("mode", "stream");
    int n = a.integer("concurrency", 64, 1, 100_000);
    double duration = a.number("duration", 10, 1, 3600);
    double warmup = a.number("warmup", 2, 0, 600);
    long pid = a.integer("server-pid", 0, 0, Integer.MAX_VALUE);
    ModelInferRequest req = request(body);
    Vertx vertx = Vertx.vertx();
    GrpcClient client = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    SocketAddress server = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    if (mode.equals("unary")) {
      GRPCInferenceServiceGrpcClient stub = GRPCInferenceServiceGrpcClient.create(client, server);
      for (int i = 0; i < n; i++) {
        unary(stub, req, ok, errors, running);
      }
    } else {
      GrpcClientRequest<ModelInferRequest, ModelStreamInferResponse> s = client.request(server,
          GRPCInferenceServiceGrpcClient.ModelStreamInfer).toCompletionStage().toCompletableFuture().get();
      s.response().onSuccess(resp -> resp.handler(r -> {
        (r.getErrorMessage().isEmpty() ? ok : errors).incrementAndGet();
        if (running.get()) {
          s.write(req);
        }
      }));
      for (int i = 0; i < n; i++) {
        s.write(req);
      }
    }
    Thread.sleep((long) (warmup * 1000));
    long ok0 = ok.get();
    long err0 = errors.get();
    CpuSnapshot cpu0 = CpuSnapshot.take(pid);
    long t0 = System.nanoTime();
    Thread.sleep((long) (duration * 1000));
    double seconds = (System.nanoTime() - t0) / 1e9;
    long done = ok.get() - ok0;
    CpuSnapshot cpu1 = CpuSnapshot.take(pid);
    running.set(false);
    double rate = done / seconds;
    System.out.println(new JsonObject().put("tool", "GrpcLoad").put("mode", mode).put("body", body)
        .put("concurrency", n).put("seconds", Math.round(seconds * 10) / 10.0).put("answers", done)
        .put("errors", errors.get() - err0).put("throughput", Math.round(rate * 10) / 10.0).put("rps", Math.round(rate))
        .put("server_cpu_us_per_req", CpuSnapshot.usPerRequest(cpu0.serverCores(cpu1), rate))
        .put("gen_cpu_us_per_req", CpuSnapshot.usPerRequest(cpu0.selfCores(cpu1), rate))
        .put("other_cpu_cores", Math.round(cpu0.otherCores(cpu1) * 100) / 100.0).encode());
    CountDownLatch closed = new CountDownLatch(1);
    vertx.close().onComplete(x -> closed.countDown());
    closed.await();
  }

  private static void unary(GRPCInferenceServiceGrpcClient stub, ModelInferRequest req, AtomicLong ok,
      AtomicLong errors, AtomicBoolean running) {
    stub.modelInfer(req).onComplete(ar -> {
      (ar.succeeded() ? ok : errors).incrementAndGet();
      if (running.get()) {
        unary(stub, req, ok, errors, running);
      }
    });
  }

  /** The same inputs as {@link Payload}'s sensor row and camera frame, in raw_input_contents. */
  static ModelInferRequest request(String body) {
    if (!java.util.List.of("sensor", "mlp", "frame").contains(body)) {
      throw new IllegalArgumentException("--body " + body + ": allowed sensor, mlp, frame");
    }
    boolean sensor = !body.equals("frame");
    int n = sensor ? 8 : 3 * 96 * 96;
    ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    float[] row = {300.1f, 310.2f, 1500f, 40f, 100f, 2.5f, 1f, 0f};
    Random r = new Random(42);
    for (int i = 0; i < n; i++) {
      b.putFloat(sensor ? row[i] : r.nextFloat());
    }
    ModelInferRequest.InferInputTensor.Builder in = ModelInferRequest.InferInputTensor.newBuilder()
        .setName(sensor ? "features" : "frames").setDatatype("FP32");
    if (sensor) {
      in.addShape(1).addShape(8);
    } else {
      in.addShape(1).addShape(3).addShape(96).addShape(96);
    }
    String model = body.equals("sensor") ? "sensor-anomaly" : body.equals("mlp") ? "sensor-anomaly-large"
        : "traffic-counter";
    return ModelInferRequest.newBuilder().setModelName(model).addInputs(in)
        .addRawInputContents(ByteString.copyFrom(b.flip())).build();
  }
}
