package io.kafkube.agent.env;

/** A container's configuration cannot be made: it waits with {@code CreateContainerConfigError}. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
