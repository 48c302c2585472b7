package io.kafkube.api.patch;

/** A patch that cannot be applied to the object (malformed, or a failed test/path). */
public final class PatchException extends RuntimeException {
  public PatchException(String message) {
    super(message);
  }

  public PatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
