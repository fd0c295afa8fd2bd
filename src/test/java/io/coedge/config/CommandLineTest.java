package io.coedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  @Test
  void helpVersionAndProbeAreActionsNotFlagsWithValues() {
    assertEquals(CommandLine.Action.HELP, CommandLine.parse(new String[] {"--help"}).action());
    assertEquals(CommandLine.Action.HELP, CommandLine.parse(new String[] {"-h"}).action());
    assertEquals(CommandLine.Action.VERSION, CommandLine.parse(new String[] {"--version"}).action());
    CommandLine probe = CommandLine.parse(new String[] {"--probe", "--port", "9001"});
    assertEquals(CommandLine.Action.PROBE, probe.action());
    assertNull(probe.probeUrl());
    assertEquals(9001, probe.config(Map.of()).http().port());
    assertEquals("http://h:1/v2/health/ready",
        CommandLine.parse(new String[] {"--probe", "http://h:1/v2/health/ready"}).probeUrl());
    assertTrue(CommandLine.parse(new String[] {"--verbose"}).verbose());
  }

  @Test
  void hostFlagSetsTheHttpInterface() {
    assertEquals("0.0.0.0", CoedgeConfig.fromArgs(new String[] {"--host", "0.0.0.0"}, Map.of()).http().host());
  }

  @Test
  void helpListsEveryFlagAndEveryKeyWithItsVariableAndDefault() {
    String help = CommandLine.help();
    for (CommandLine.Flag f : CommandLine.FLAGS) {
      assertTrue(help.contains("  " + f.name()), f.name());
    }
    for (ConfigKey k : ConfigKey.all()) {
      assertTrue(help.lines().anyMatch(l -> l.contains(k.name() + " ") && l.contains(k.envName())
          && l.endsWith(k.defaultValue().isEmpty() ? "(empty)" : k.defaultValue())), k.name());
    }
  }

  @Test
  void unknownFlagListsTheAllowedOnesInOneFixedOrder() {
    String first = assertThrows(ConfigException.class, () -> CommandLine.parse(new String[] {"--prot", "1"}))
        .getMessage();
    for (int i = 0; i < 5; i++) {
      assertEquals(first, assertThrows(ConfigException.class,
          () -> CommandLine.parse(new String[] {"--prot", "1"})).getMessage());
    }
    assertTrue(first.contains("did you mean --port?")
        && first.contains("--config --port --host --models --node-id --role --cluster-members --cluster-port"), first);
    String missing = assertThrows(ConfigException.class, () -> CommandLine.parse(new String[] {"--models"}))
        .getMessage();
    assertTrue(missing.contains("--models needs a value"), missing);
  }
}
