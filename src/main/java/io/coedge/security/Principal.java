package io.coedge.security;

import java.util.Set;

/**
 * An authenticated (or, with authentication off, anonymous) caller.
 *
 * @param id        what logs and errors may name: a key id, a token subject, "node" or "anonymous" — never a secret
 * @param scopes    what the caller may do
 * @param models    model names the caller may use; {@value #ALL_MODELS} = every model
 * @param bucketKey the rate-limit bucket this caller draws from
 * @param limit     this caller's own rate limit, or null for the configured default
 * @param limited   false for callers that are never rate limited (cluster nodes)
 */
public record Principal(String id, Set<Scope> scopes, Set<String> models, String bucketKey, Limit limit,
    boolean limited) {

  public static final String ALL_MODELS = "*";

  public Principal {
    scopes = Set.copyOf(scopes);
    models = Set.copyOf(models);
  }

  /** A caller over a connection with a verified cluster certificate: infer + cluster, every model, no limit. */
  public static Principal clusterNode(String subject) {
    return new Principal("node " + subject, Set.of(Scope.INFER, Scope.CLUSTER), Set.of(ALL_MODELS), "node", null,
        false);
  }

  /** Everyone, when authentication is off; limited per client address. */
  public static Principal anonymous(String address) {
    return new Principal("anonymous", Scope.all(), Set.of(ALL_MODELS), "addr:" + address, null, true);
  }

  public boolean mayUse(String model) {
    return models.contains(ALL_MODELS) || models.contains(model);
  }
}
