package io.coedge.security;

import io.coedge.config.AuthConfig;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Turns a request's credentials into a {@link Principal}. In order: a verified cluster certificate makes a
 * cluster node; with mode {@code none} everyone is anonymous; else exactly one credential must be sent —
 * an API key as {@code X-API-Key: <key>}, {@code Authorization: Bearer <key>} or as the password of
 * {@code Authorization: Basic} (the user name is ignored), or a JWT as
 * {@code Authorization: Bearer <jwt>} (a bearer value with two dots is read as a JWT, API keys have none).
 */
public final class Authenticator {

  public static final String API_KEY_HEADER = "x-api-key";

  private final AuthConfig.Mode mode;
  private final Supplier<ApiKeys> keys;
  private final JwtVerifier jwt;

  /** {@code jwt} may be null when the mode accepts no tokens. */
  public Authenticator(AuthConfig.Mode mode, Supplier<ApiKeys> keys, JwtVerifier jwt) {
    this.mode = mode;
    this.keys = keys;
    this.jwt = jwt;
  }

  /** True when every caller without a client certificate is anonymous (mode {@code none}). */
  public boolean everyoneAnonymous() {
    return mode == AuthConfig.Mode.NONE;
  }

  /**
   * @param authorization the {@code Authorization} header, or null
   * @param apiKey        the {@code X-API-Key} header, or null
   * @param peerSubject   the verified client certificate's subject ({@link PeerIdentity}), or null
   * @param address       the client's address, for anonymous rate limits
   * @return the caller, or a failed future carrying a 401 {@link Refusal}
   */
  public Future<Principal> authenticate(String authorization, String apiKey, String peerSubject, String address) {
    if (peerSubject != null) {
      return Future.succeededFuture(Principal.clusterNode(peerSubject));
    }
    if (mode == AuthConfig.Mode.NONE) {
      return Future.succeededFuture(Principal.anonymous(address));
    }
    if (authorization != null && apiKey != null) {
      return refuse("send one credential: either X-API-Key or Authorization, not both");
    }
    if (apiKey != null) {
      return mode.keys() ? key(apiKey.trim()) : refuse("API keys are not accepted here; send a JWT as "
          + "Authorization: Bearer <token>");
    }
    if (authorization == null) {
      return Future.failedFuture(Refusal.missing("credentials required: " + expected()).failure());
    }
    String a = authorization.trim();
    if (a.length() >= 6 && a.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
      return basic(a.substring(6).trim());
    }
    if (a.length() < 7 || !a.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return refuse("the Authorization header must be `Bearer <credential>` or `Basic <base64 of user:api-key>`");
    }
    String credential = a.substring(7).trim();
    boolean jwtShaped = credential.chars().filter(c -> c == '.').count() == 2;
    if (mode.jwt() && (jwtShaped || !mode.keys())) {
      return jwt.verify(credential);
    }
    return key(credential);
  }

  /** HTTP Basic (the only auth some clients ship): the password is the API key, the user name is ignored. */
  private Future<Principal> basic(String encoded) {
    if (!mode.keys()) {
      return refuse("API keys are not accepted here; send a JWT as Authorization: Bearer <token>");
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return refuse("the Authorization: Basic credential is not valid base64");
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? refuse("the Authorization: Basic credential must be user:password, with the API key as "
        + "the password") : key(decoded.substring(colon + 1).trim());
  }

  private Future<Principal> key(String presented) {
    ApiKey k = presented.isEmpty() ? null : keys.get().match(presented);
    return k == null ? refuse("unknown API key") : Future.succeededFuture(k.principal());
  }

  private String expected() {
    return switch (mode) {
      case KEYS -> "an API key as X-API-Key: <key> or Authorization: Bearer <key>";
      case JWT -> "a JWT as Authorization: Bearer <token>";
      default -> "an API key (X-API-Key: <key>) or a JWT (Authorization: Bearer <token>)";
    };
  }

  private static Future<Principal> refuse(String message) {
    return Future.failedFuture(Refusal.invalid(message).failure());
  }
}
