package io.coedge.inference;

/**
 * Every failure a client can be told about, carrying its HTTP status. One failure handler in
 * {@code api} turns these into {@code {"error": ...}} bodies; anything else is a 500.
 */
public abstract sealed class InferenceException extends RuntimeException {

  private final int status;

  private InferenceException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** 400: the request is malformed or does not fit the model. */
  public static InvalidInput invalid(String message) {
    return new InvalidInput(message);
  }

  public static NotFound notFound(String message) {
    return new NotFound(message);
  }

  public static Overloaded overloaded(String message, int retryAfterSeconds) {
    return new Overloaded(message, retryAfterSeconds);
  }

  public static Unsupported unsupported(String message) {
    return new Unsupported(message);
  }

  public static TooLarge tooLarge(String message) {
    return new TooLarge(message);
  }

  public static final class InvalidInput extends InferenceException {
    InvalidInput(String message) {
      super(400, message);
    }
  }

  public static final class NotFound extends InferenceException {
    NotFound(String message) {
      super(404, message);
    }
  }

  public static final class TooLarge extends InferenceException {
    TooLarge(String message) {
      super(413, message);
    }
  }

  /** 503 with a Retry-After: the queue is full, the deadline cannot be met, or the node is not ready. */
  public static final class Overloaded extends InferenceException {
    private final int retryAfterSeconds;

    Overloaded(String message, int retryAfterSeconds) {
      super(503, message);
      this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public int retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  public static final class Unsupported extends InferenceException {
    Unsupported(String message) {
      super(501, message);
    }
  }
}
