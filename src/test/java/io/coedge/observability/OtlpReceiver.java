package io.coedge.observability;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.coedge.Eventually;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP/HTTP collector for tests: a real HTTP server on 127.0.0.1 taking {@code POST /v1/traces} in protobuf,
 * decoded with the protocol's own classes, keeping every span it receives.
 */
public final class OtlpReceiver implements AutoCloseable {

  /** One received span; {@code node} is its resource's {@code service.instance.id}, ids in lower-case hex. */
  public record Received(String node, String traceId, String spanId, String parentSpanId, String name, String kind,
      long startNs, long endNs, Map<String, String> attributes, boolean error) {
  }

  private final Vertx vertx = Vertx.vertx();
  private final List<Received> spans = new CopyOnWriteArrayList<>();
  private final List<Integer> posts = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  public OtlpReceiver() {
    server = Eventually.await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (!req.path().equals("/v1/traces")) {
        req.response().setStatusCode(404).end();
        return;
      }
      try {
        take(ExportTraceServiceRequest.parseFrom(body.getBytes()));
        posts.add(body.length());
        req.response().putHeader("content-type", "application/x-protobuf")
            .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
      } catch (InvalidProtocolBufferException e) {
        req.response().setStatusCode(400).end();
      }
    })).listen(0, "127.0.0.1"));
  }

  private void take(ExportTraceServiceRequest r) {
    for (ResourceSpans rs : r.getResourceSpansList()) {
      String node = attributes(rs.getResource().getAttributesList()).get("service.instance.id");
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          spans.add(new Received(node, hex(s.getTraceId()), hex(s.getSpanId()), hex(s.getParentSpanId()),
              s.getName(), s.getKind().name(), s.getStartTimeUnixNano(), s.getEndTimeUnixNano(),
              attributes(s.getAttributesList()), s.getStatus().getCode().getNumber() == 2));
        }
      }
    }
  }

  private static Map<String, String> attributes(List<KeyValue> list) {
    Map<String, String> m = new HashMap<>();
    list.forEach(kv -> m.put(kv.getKey(), kv.getValue().getStringValue()));
    return m;
  }

  private static String hex(ByteString b) {
    return HexFormat.of().formatHex(b.toByteArray());
  }

  /** The traces URL to configure as {@code observability.otlp-endpoint}. */
  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1/traces";
  }

  public List<Received> spans() {
    return List.copyOf(spans);
  }

  /** The spans of one trace received so far. */
  public List<Received> trace(String traceId) {
    return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  /** Waits until the trace holds a span named {@code name} from {@code node}, and returns it. */
  public Received await(String traceId, String node, String name) {
    Eventually.within(30_000, "span " + name + " of " + node + " in trace " + traceId,
        () -> find(traceId, node, name) != null);
    return find(traceId, node, name);
  }

  private Received find(String traceId, String node, String name) {
    return trace(traceId).stream().filter(s -> s.node().equals(node) && s.name().equals(name)).findFirst()
        .orElse(null);
  }

  @Override
  public void close() {
    Eventually.await(vertx.close());
  }
}
