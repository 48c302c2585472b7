package io.kafkube.agent.runtime;

/** The runtime cannot provide an image: the container waits with {@code ErrImagePull}. */
public final class ImageException extends Exception {
  private static final long serialVersionUID = 1L;

  public ImageException(String message) {
    super(message);
  }
}
