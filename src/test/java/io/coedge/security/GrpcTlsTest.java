package io.coedge.security;

import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ModelReady;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ServerLive;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.coedge.Gateway;
import io.coedge.TestNodes;
import io.coedge.api.grpc.GrpcTestClient;
import io.coedge.api.grpc.v2.ModelReadyRequest;
import io.coedge.api.grpc.v2.ServerLiveRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gRPC port serves TLS with the REST listener's certificate: a client trusting its CA gets answers. */
@Timeout(60)
class GrpcTlsTest {

  private static Path dir;
  private static Path caFile;
  private static Gateway node;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("coedge-grpc-tls");
    TestPki.Ca ca = TestPki.ca("grpc-ca");
    caFile = ca.write(dir, "ca");
    TestPki.PemPair cert = ca.node("node-a").write(dir, "node-a");
    node = TestNodes.start(TestNodes.TEST_MODELS, Map.of("security.tls.cert", cert.cert().toString(),
        "security.tls.key", cert.key().toString(), "security.tls.reload-interval-s", "0"));
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
    TlsFiles.delete(dir);
  }

  /** A gRPC client over TLS (ALPN h2), trusting {@code ca} (null: the JVM's default trust, not our CA). */
  private static GrpcTestClient client(Path ca) {
    Vertx vertx = Vertx.vertx();
    HttpClientOptions o = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setSsl(true)
        .setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2));
    if (ca != null) {
      o.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()));
    }
    return new GrpcTestClient(node.grpcPort(), vertx, vertx.createHttpClient(o));
  }

  @Test
  void aClientTrustingTheClusterCaIsAnsweredOverTls() {
    try (GrpcTestClient tls = client(caFile)) {
      assertTrue(tls.call(ServerLive, ServerLiveRequest.getDefaultInstance()).answer().getLive());
      assertTrue(tls.call(ModelReady, ModelReadyRequest.newBuilder().setName("add-one").build()).answer()
          .getReady());
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefusedByTheHandshake() {
    try (GrpcTestClient untrusting = client(null)) {
      Throwable f = Eventually.failure(untrusting.stream(ServerLive, List.of(ServerLiveRequest.getDefaultInstance()),
          0));
      assertInstanceOf(SSLException.class, rootOrSsl(f), f.toString());
    }
  }

  private static Throwable rootOrSsl(Throwable f) {
    for (Throwable t = f; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return t;
      }
    }
    return f;
  }
}
