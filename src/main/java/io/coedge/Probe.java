package io.coedge;

import io.coedge.config.CoedgeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code --probe [URL]}: asks a running node whether it is ready, for container health checks on images without
 * curl. Exit code 0 when {@code /v2/health/ready} answers 200 within 3 s, else 1 with one line saying why.
 */
final class Probe {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private Probe() {
  }

  /** {@code url} may be null: then this config's HTTP port on loopback (or on its host when bound to one). */
  static int run(String url, CoedgeConfig config) {
    String target = url != null ? url : defaultUrl(config);
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
      HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(target)).timeout(TIMEOUT).build(),
          HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() == 200) {
        return 0;
      }
      System.err.println("coedge: probe " + target + ": HTTP " + r.statusCode() + " (not ready)");
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("coedge: probe " + target + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 1;
  }

  static String defaultUrl(CoedgeConfig config) {
    String host = config.http().host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return (config.tls().enabled() ? "https://" : "http://") + host + ":" + config.http().port() + "/v2/health/ready";
  }
}
