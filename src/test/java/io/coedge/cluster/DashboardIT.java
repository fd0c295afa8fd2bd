package io.coedge.cluster;

import static io.coedge.Eventually.within;
import static io.coedge.Eventually.await;
import static io.coedge.cluster.ClusterTestSupport.freePort;
import static io.coedge.cluster.ClusterTestSupport.gatewayConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.coedge.Gateway;
import io.coedge.Http;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real headless Chromium (Debian's chromium + chromium-driver) against a real two-node cluster in
 * this JVM: it loads without a console error, lists both nodes, and its routes chart moves when requests arrive.
 * Skipped, with the reason, where chromium or chromedriver is not installed. Leaves target/dashboard.png.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardIT {

  private static final Path CHROMIUM = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
  private static final Path DRIVER = Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));
  /** Installed before any page script runs: every console error, uncaught error and failed load is kept. */
  private static final String CAPTURE = "window.__errors = [];"
      + "const e0 = console.error.bind(console);"
      + "console.error = (...a) => { window.__errors.push(a.map(String).join(' ')); e0(...a); };"
      + "addEventListener('error', e => window.__errors.push('error: ' + (e.message || (e.target && "
      + "(e.target.src || e.target.href)))), true);"
      + "addEventListener('unhandledrejection', e => window.__errors.push('rejection: ' + e.reason));"
      + "addEventListener('securitypolicyviolation', e => window.__errors.push('csp: ' + e.violatedDirective));";

  private static final List<Gateway> nodes = new ArrayList<>();
  private static ChromeDriver browser;

  @BeforeAll
  static void startClusterAndBrowser() {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER), "dashboard test skipped: needs "
        + CHROMIUM + " and " + DRIVER + " (Debian: apt-get install chromium chromium-driver)");
    List<Integer> ports = List.of(freePort("127.0.0.1"), freePort("127.0.0.1"));
    List<Future<Gateway>> starting = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      int self = ports.get(i);
      starting.add(Gateway.start(gatewayConfig("it-dashboard", "dash-" + i, self,
          ports.stream().filter(p -> p != self).toList())));
    }
    starting.forEach(f -> nodes.add(await(f)));
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1400,1000");
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build(), options);
    browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", CAPTURE));
  }

  @AfterAll
  static void stopAll() {
    if (browser != null) {
      browser.quit();
    }
    for (Gateway g : nodes) {
      await(g.close().recover(e -> Future.succeededFuture()));
    }
  }

  @Test
  void showsEveryNodeWithoutErrorsAndItsRoutesChartMovesUnderLoad() throws Exception {
    Gateway first = nodes.get(0);
    within(10_000, "both records fresh on dash-0",
        () -> first.cluster().nodes().stream().filter(NodeEntry::fresh).count() == 2);
    browser.get("http://127.0.0.1:" + first.port() + "/dashboard?every=300");
    within(30_000, "the dashboard polled twice", () -> polls() >= 2);
    assertEquals(List.of("dash-0", "dash-1"), rows("#nodes tbody tr", "r.dataset.node").stream().sorted().toList());
    assertEquals("cloud", cell("dash-1", 1));
    assertTrue(cell("dash-1", 8).contains("relu (1)"), "the versions column names relu (1): " + cell("dash-1", 8));
    assertEquals(0.0, routesSeen("local"), "no request yet: the local series is empty or zero");

    int sent = 40;
    try (Http http = new Http(first.port())) {
      JsonObject request = requestFor(http.get("/v2/models/relu").bodyAsJsonObject());
      for (int i = 0; i < sent; i++) {
        assertEquals(200, http.post("/v2/models/relu/infer", request).statusCode());
      }
    }
    within(30_000, "the routes chart shows local requests", () -> routesSeen("local") > 0);
    assertEquals(0.0, routesSeen("offload"), "cloud nodes never offload");
    within(30_000, "the model table counts the requests", () -> rows("#stats tbody tr", "r.innerText")
        .stream().anyMatch(r -> r.replaceAll("\\s+", " ").startsWith("relu 1 " + sent + " ")));

    Path shot = Path.of(System.getProperty("coedge.jar", "target/coedge.jar")).resolveSibling("dashboard.png");
    Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
    assertEquals(List.of(), browser.executeScript("return window.__errors"), "console errors on the page");
    assertEquals(0L, ((Number) browser.executeScript("return window.coedgeDashboard.state.errors")).longValue(),
        "failed polls: " + browser.findElement(By.id("status")).getText());
  }

  private static long polls() {
    Object n = browser.executeScript("return window.coedgeDashboard ? window.coedgeDashboard.state.polls : 0");
    return ((Number) n).longValue();
  }

  /** The routes chart's own data: the highest rate drawn for {@code route} so far. */
  private static double routesSeen(String route) {
    Object max = browser.executeScript("const c = window.coedgeDashboard.charts.routes;"
        + "const i = c.series.findIndex(s => s.label === arguments[0]);"
        + "return Math.max(0, ...c.data[i].filter(v => v !== null));", route);
    return ((Number) max).doubleValue();
  }

  /**
   * {@code expression} (of {@code r}) for every row {@code selector} matches, read in one script: the page rewrites
   * its tables at every poll, so an element found by one call may be gone by the next.
   */
  @SuppressWarnings("unchecked")
  private static List<String> rows(String selector, String expression) {
    return (List<String>) browser.executeScript("return Array.from(document.querySelectorAll(arguments[0]), r => "
        + expression + ");", selector);
  }

  private static String cell(String node, int column) {
    return (String) browser.executeScript("const r = document.querySelector("
        + "`#nodes tbody tr[data-node='${arguments[0]}']`); return r.cells[arguments[1]].innerText;", node, column);
  }

  /** A request of zeros shaped by the model's metadata (dynamic dimensions as 1). */
  private static JsonObject requestFor(JsonObject metadata) {
    JsonArray inputs = new JsonArray();
    for (Object o : metadata.getJsonArray("inputs")) {
      JsonObject in = (JsonObject) o;
      JsonArray shape = new JsonArray();
      int count = 1;
      for (Object d : in.getJsonArray("shape")) {
        int dim = Math.max(1, ((Number) d).intValue());
        shape.add(dim);
        count *= dim;
      }
      JsonArray data = new JsonArray();
      for (int i = 0; i < count; i++) {
        data.add(0);
      }
      inputs.add(new JsonObject().put("name", in.getString("name")).put("datatype", in.getString("datatype"))
          .put("shape", shape).put("data", data));
    }
    return new JsonObject().put("inputs", inputs);
  }
}
