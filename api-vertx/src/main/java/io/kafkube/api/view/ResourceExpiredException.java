package io.kafkube.api.view;

/** A watch asked to resume from a point older than the view's window: the client must list again (410). */
public final class ResourceExpiredException extends Exception {
  public ResourceExpiredException(String message) {
    super(message, null, false, false);
  }
}
