package io.coedge.security;

import io.coedge.config.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks JWT bearer tokens with vertx-auth-jwt: signature (HS256 secret and/or an RSA/EC public key), issuer,
 * audience, {@code exp} (required) and {@code nbf}. Claims read: {@code scope} (space-separated) or
 * {@code scopes} (array) — unknown scope names are ignored —, {@code models} (array or space-separated;
 * absent = every model), {@code sub} (the caller's name and rate-limit bucket).
 */
public final class JwtVerifier {

  private final JWTAuth auth;

  JwtVerifier(JWTAuth auth) {
    this.auth = auth;
  }

  /** Builds the verifier over keys read by {@link JwtKeys#read}. */
  static JwtVerifier create(Vertx vertx, AuthConfig config, List<PubSecKeyOptions> keys) {
    if (keys.isEmpty()) {
      // without a key vertx-auth-jwt would accept unsigned tokens
      throw new IllegalStateException("JWT verification needs at least one key");
    }
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions().setIssuer(config.jwtIssuer())
        .addAudience(config.jwtAudience()).setLeeway(config.jwtLeewaySeconds()));
    for (PubSecKeyOptions key : keys) {
      options.addPubSecKey(key);
    }
    return new JwtVerifier(JWTAuth.create(vertx, options));
  }

  /** The token's caller, or a failed future with a 401 {@link Refusal}. */
  public Future<Principal> verify(String token) {
    return auth.authenticate(new TokenCredentials(token)).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(Refusal.invalid("bearer token rejected: " + reason(ar.cause())).failure());
      }
      JsonObject claims = ar.result().attributes().getJsonObject("accessToken", new JsonObject());
      try {
        return Future.succeededFuture(principal(claims));
      } catch (IllegalArgumentException | ClassCastException e) {
        return Future.failedFuture(Refusal.invalid("bearer token rejected: " + e.getMessage()).failure());
      }
    });
  }

  static Principal principal(JsonObject claims) {
    if (!(claims.getValue("exp") instanceof Number)) {
      throw new IllegalArgumentException("it has no exp (expiry) claim");
    }
    String sub = claims.getValue("sub") instanceof String s ? s.replaceAll("[^A-Za-z0-9._@:-]", "_") : "";
    sub = sub.isEmpty() ? "(no sub)" : sub.substring(0, Math.min(64, sub.length()));
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String s : names(claims.containsKey("scope") ? claims.getValue("scope") : claims.getValue("scopes"),
        "scope")) {
      Scope scope = Scope.parse(s);
      if (scope != null) {
        scopes.add(scope);
      }
    }
    Set<String> models = claims.containsKey("models") ? names(claims.getValue("models"), "models")
        : Set.of(Principal.ALL_MODELS);
    return new Principal("token " + sub, scopes, models, "jwt:" + sub, null, true);
  }

  /** A claim holding names: a space-separated string or an array of strings; absent = none. */
  private static Set<String> names(Object claim, String name) {
    Set<String> out = new LinkedHashSet<>();
    if (claim == null) {
      return out;
    }
    if (claim instanceof String s) {
      for (String part : s.trim().split("\\s+")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
      return out;
    }
    if (claim instanceof JsonArray a) {
      for (Object o : a) {
        if (!(o instanceof String s)) {
          throw new IllegalArgumentException("claim " + name + " must hold strings");
        }
        out.add(s);
      }
      return out;
    }
    throw new IllegalArgumentException("claim " + name + " must be a string or an array of strings");
  }

  /** A short reason a client can act on; never the token. */
  private static String reason(Throwable t) {
    String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (m.contains("expired")) {
      return "it has expired or is not valid yet";
    }
    if (m.contains("audience")) {
      return "wrong audience";
    }
    if (m.contains("issuer")) {
      return "wrong issuer";
    }
    if (t instanceof java.security.SignatureException || m.contains("signature")) {
      return "bad signature";
    }
    if (t.getClass().getSimpleName().equals("NoSuchKeyIdException")) {
      return "signed with an algorithm or key this server does not accept";
    }
    return "malformed token";
  }
}
