package io.coedge.config;

/** Prints README's configuration table from the declared keys: {@code java -cp ... io.coedge.config.ConfigTable}. */
public final class ConfigTable {

  private ConfigTable() {
  }

  public static void main(String[] args) {
    System.out.println("| key | environment variable | default | meaning |");
    System.out.println("|---|---|---|---|");
    for (ConfigKey k : ConfigKey.all()) {
      System.out.println("| `" + k.name() + "` | `" + k.envName() + "` | `" + k.defaultValue() + "` | "
          + k.meaning() + " |");
    }
  }
}
