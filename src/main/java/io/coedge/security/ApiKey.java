package io.coedge.security;

import java.util.Set;

/**
 * One API key as stored: never the key itself, only its salted hash.
 *
 * @param id     the name logs, metrics and errors use for this key
 * @param models model names it may use; {@value Principal#ALL_MODELS} = every model
 * @param limit  its own rate limit, or null for the configured default
 */
public record ApiKey(String id, KeyHash hash, Set<Scope> scopes, Set<String> models, Limit limit) {

  public ApiKey {
    scopes = Set.copyOf(scopes);
    models = Set.copyOf(models);
  }

  /** The caller this key stands for; a node's key (scope cluster) is not rate limited unless it has its own limit. */
  public Principal principal() {
    return new Principal("key " + id, scopes, models, "key:" + id, limit,
        limit != null || !scopes.contains(Scope.CLUSTER));
  }
}
