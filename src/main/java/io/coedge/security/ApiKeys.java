package io.coedge.security;

import java.util.List;

/** An immutable set of API keys, looked up by the key a caller presents. */
public final class ApiKeys {

  public static final ApiKeys NONE = new ApiKeys(List.of());

  private final List<ApiKey> keys;

  public ApiKeys(List<ApiKey> keys) {
    this.keys = List.copyOf(keys);
  }

  /**
   * The key {@code presented} is, or null. Every stored hash is checked, whichever matches, so the time taken
   * says nothing about which key (or how much of one) was right.
   */
  public ApiKey match(String presented) {
    ApiKey found = null;
    for (ApiKey k : keys) {
      if (k.hash().matches(presented) && found == null) {
        found = k;
      }
    }
    return found;
  }

  public List<String> ids() {
    return keys.stream().map(ApiKey::id).toList();
  }

  public int size() {
    return keys.size();
  }
}
