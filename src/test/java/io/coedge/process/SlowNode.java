package io.coedge.process;

import io.coedge.Gateway;
import io.coedge.config.CoedgeConfig;
import io.coedge.inference.SlowerHardware;
import java.util.concurrent.TimeUnit;

/**
 * A node process for scaling tests: the jar's command line and configuration, but every batch keeps its worker
 * busy (parked, cores free) {@code -Dslow.extra-us} µs longer, so that on a shared 2-core box a node's capacity is
 * set by its workers, not by the CPU the other processes leave it, and each node started adds real capacity.
 * Run with {@code java -cp target/coedge.jar:target/test-classes io.coedge.process.SlowNode <coedge flags>}; SIGTERM
 * closes the gateway as the jar's Main does.
 */
public final class SlowNode {

  private SlowNode() {
  }

  public static void main(String[] args) throws Exception {
    CoedgeConfig config = CoedgeConfig.fromArgs(args, System.getenv());
    long extraUs = Long.getLong("slow.extra-us", 0);
    Gateway node = Gateway.start(config, SlowerHardware.engines(1.0, extraUs)).toCompletionStage()
        .toCompletableFuture().get(120, TimeUnit.SECONDS);
    System.out.println("slow node " + config.node().id() + " ready on port " + node.port());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> node.close().toCompletionStage().toCompletableFuture()
        .completeOnTimeout(null, 20, TimeUnit.SECONDS).join(), "slow-node-shutdown"));
  }
}
