package io.coedge.security;

/**
 * A request turned away: 401 (no or bad credentials, with a {@code WWW-Authenticate} challenge), 403 (known
 * caller, not allowed) or 429 (rate limited, with {@code Retry-After}). Carried as a failed future's cause.
 *
 * @param challenge   the {@code WWW-Authenticate} value, or null
 * @param retryAfterS seconds for {@code Retry-After}, or 0
 */
public record Refusal(int status, String message, String challenge, int retryAfterS) {

  static final String REALM = "Bearer realm=\"coedge\"";

  /** 401 for a request that carried no credentials at all. */
  public static Refusal missing(String message) {
    return new Refusal(401, message, REALM, 0);
  }

  /** 401 for credentials that were there but are wrong. */
  public static Refusal invalid(String message) {
    return new Refusal(401, message, REALM + ", error=\"invalid_token\"", 0);
  }

  public static Refusal forbidden(String message) {
    return new Refusal(403, message, null, 0);
  }

  public static Refusal limited(String message, int retryAfterS) {
    return new Refusal(429, message, null, Math.max(1, retryAfterS));
  }

  /** The metric label: {@code missing}, {@code invalid} (401), {@code forbidden} (403), {@code rate-limited} (429). */
  public String reason() {
    return switch (status) {
      case 401 -> challenge != null && challenge.contains("invalid_token") ? "invalid" : "missing";
      case 403 -> "forbidden";
      case 429 -> "rate-limited";
      default -> String.valueOf(status);
    };
  }

  /** This refusal as a stackless exception, for failed futures. */
  public Refused failure() {
    return new Refused(this);
  }

  /** The exception form of a {@link Refusal}. */
  public static final class Refused extends RuntimeException {
    private final transient Refusal refusal;

    Refused(Refusal refusal) {
      super(refusal.message(), null, false, false);
      this.refusal = refusal;
    }

    public Refusal refusal() {
      return refusal;
    }
  }
}
