package io.coedge.security;

import java.nio.file.Path;

/** The sign-model tool as tests elsewhere call it. */
public final class SignModelTool {

  private SignModelTool() {
  }

  /** Writes a new key file and returns its public key (base64). */
  public static String newKey(Path file) throws Exception {
    return SignModel.run(new String[] {"--new-key", file.toString()}).lines().filter(l -> !l.startsWith("#"))
        .findFirst().orElseThrow();
  }

  public static void sign(Path key, Path versionDir) throws Exception {
    SignModel.run(new String[] {"--key", key.toString(), versionDir.toString()});
  }
}
