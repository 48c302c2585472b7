package io.kafkube.agent.env;

import java.util.Map;
import java.util.Optional;

/** Where the agent reads the ConfigMaps and Secrets its pods refer to (data already decoded). */
public interface ConfigSource {
  /** Whether the source has caught up with the store (before that, absence proves nothing). */
  boolean ready();

  Optional<Map<String, String>> configMap(String namespace, String name);

  Optional<Map<String, String>> secret(String namespace, String name);

  /** A source with nothing in it, always ready. */
  static ConfigSource empty() {
    return new ConfigSource() {
      @Override
      public boolean ready() {
        return true;
      }

      @Override
      public Optional<Map<String, String>> configMap(String namespace, String name) {
        return Optional.empty();
      }

      @Override
      public Optional<Map<String, String>> secret(String namespace, String name) {
        return Optional.empty();
      }
    };
  }
}
