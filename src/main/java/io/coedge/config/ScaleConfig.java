package io.coedge.config;

import java.util.List;

/**
 * Elastic scaling of the cloud tier: how the desired number of cloud nodes is computed (utilisation target and
 * the models' objectives, by a queueing estimate), how slowly it may fall, its bounds, what a node costs next to
 * paid offloading, and who acts on it.
 *
 * @param actuator          {@code none} (signal only), {@code command} or {@code kubernetes} (the HPA or KEDA reads
 *                          the signal; the node itself runs nothing)
 * @param command           program and arguments run with the desired count appended ({@code actuator: command})
 * @param commandTimeoutS   a command still running after this long is killed and counted as a timeout
 * @param targetUtilisation the cloud nodes' busy share the desired count keeps below
 * @param stabilisationS    a lower count is acted on only once every recommendation of this window was that low
 * @param minNodes          never fewer cloud nodes than this
 * @param maxNodes          never more cloud nodes than this
 * @param nodePrice         price of one cloud node per hour, compared with paid offloading; 0 = nodes are free
 * @param intervalMs        the leader evaluates this often
 */
public record ScaleConfig(String actuator, List<String> command, long commandTimeoutS, double targetUtilisation,
    long stabilisationS, int minNodes, int maxNodes, double nodePrice, long intervalMs) {

  public static final String NONE = "none";
  public static final String COMMAND = "command";
  public static final String KUBERNETES = "kubernetes";

  static final ConfigKey ACTUATOR = ConfigKey.of("scale.actuator", "none",
      "Who acts on the desired cloud node count: `none` (signal only), `command` or `kubernetes` (HPA/KEDA read it)");
  static final ConfigKey COMMAND_LINE = ConfigKey.of("scale.command", "",
      "`actuator: command`: program and arguments, run with the desired count appended (and in `SCALE_DESIRED_NODES`)");
  static final ConfigKey COMMAND_TIMEOUT = ConfigKey.of("scale.command-timeout-s", "60",
      "A scale command still running after this long is killed (counted as `timeout`)");
  static final ConfigKey TARGET = ConfigKey.of("scale.target-utilisation", "0.7",
      "The cloud nodes' busy share the desired count keeps below (with the models' objectives, by Erlang C)");
  static final ConfigKey STABILISATION = ConfigKey.of("scale.stabilisation-s", "300",
      "Scale-in only once every recommendation of this many seconds was that low (scale-out is immediate)");
  static final ConfigKey MIN_NODES = ConfigKey.of("scale.min-nodes", "1", "Fewest cloud nodes the scaler asks for");
  static final ConfigKey MAX_NODES = ConfigKey.of("scale.max-nodes", "10", "Most cloud nodes the scaler asks for");
  static final ConfigKey NODE_PRICE = ConfigKey.of("scale.node-price", "0",
      "Price of one cloud node per hour; while paid offloading of the excess is cheaper, no node is added");
  static final ConfigKey INTERVAL = ConfigKey.of("scale.interval-ms", "5000",
      "The leader (oldest cloud member) evaluates the desired count this often");

  public ScaleConfig {
    if (!List.of(NONE, COMMAND, KUBERNETES).contains(actuator)) {
      throw ConfigException.badValue(ACTUATOR, actuator, "allowed: none, command, kubernetes");
    }
    command = List.copyOf(command);
    if (COMMAND.equals(actuator) && command.isEmpty()) {
      throw ConfigException.badValue(COMMAND_LINE, "", "allowed: a program path while scale.actuator is command");
    }
    if (commandTimeoutS < 1 || commandTimeoutS > 3600) {
      throw ConfigException.badValue(COMMAND_TIMEOUT, String.valueOf(commandTimeoutS), "allowed: 1 to 3600");
    }
    if (!(targetUtilisation >= 0.05 && targetUtilisation <= 1)) {
      throw ConfigException.badValue(TARGET, String.valueOf(targetUtilisation), "allowed: 0.05 to 1");
    }
    if (stabilisationS < 0 || stabilisationS > 86_400) {
      throw ConfigException.badValue(STABILISATION, String.valueOf(stabilisationS), "allowed: 0 to 86400");
    }
    if (minNodes < 0 || minNodes > 10_000) {
      throw ConfigException.badValue(MIN_NODES, String.valueOf(minNodes), "allowed: 0 to 10000");
    }
    if (maxNodes < Math.max(1, minNodes) || maxNodes > 10_000) {
      throw ConfigException.badValue(MAX_NODES, String.valueOf(maxNodes),
          "allowed: scale.min-nodes (" + minNodes + ", at least 1) to 10000");
    }
    if (!(nodePrice >= 0 && nodePrice <= 1e9)) {
      throw ConfigException.badValue(NODE_PRICE, String.valueOf(nodePrice), "allowed: 0 to 1000000000");
    }
    if (intervalMs < 100 || intervalMs > 3_600_000) {
      throw ConfigException.badValue(INTERVAL, String.valueOf(intervalMs), "allowed: 100 to 3600000");
    }
  }

  static ScaleConfig from(ConfigSource s) {
    String cmd = s.string(COMMAND_LINE);
    return new ScaleConfig(s.oneOf(ACTUATOR, NONE, COMMAND, KUBERNETES),
        cmd.isEmpty() ? List.of() : List.of(cmd.split("\\s+")), s.longValue(COMMAND_TIMEOUT, 1, 3600),
        s.doubleValue(TARGET, 0.05, 1), s.longValue(STABILISATION, 0, 86_400), s.intValue(MIN_NODES, 0, 10_000),
        s.intValue(MAX_NODES, 1, 10_000), s.doubleValue(NODE_PRICE, 0, 1e9), s.longValue(INTERVAL, 100, 3_600_000));
  }
}
