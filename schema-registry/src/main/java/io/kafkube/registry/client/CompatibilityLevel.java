package io.kafkube.registry.client;

import java.util.Locale;
import java.util.Optional;

/** Compatibility levels of the Confluent Schema Registry; the registry default is {@link #BACKWARD}. */
public enum CompatibilityLevel {
  NONE(false),
  BACKWARD(false),
  BACKWARD_TRANSITIVE(true),
  FORWARD(false),
  FORWARD_TRANSITIVE(true),
  FULL(false),
  FULL_TRANSITIVE(true);

  /** The level a registry applies when neither the subject nor the registry has one configured. */
  public static final CompatibilityLevel DEFAULT = BACKWARD;

  private final boolean transitive;

  CompatibilityLevel(boolean transitive) {
    this.transitive = transitive;
  }

  /** Whether a new schema is checked against every earlier version rather than the latest only. */
  public boolean transitive() {
    return transitive;
  }

  /** Whether the new schema must be able to read data written with the earlier ones. */
  public boolean backward() {
    return this == BACKWARD || this == BACKWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
  }

  /** Whether data written with the new schema must be readable with the earlier ones. */
  public boolean forward() {
    return this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
  }

  /** Parses a level name case-insensitively; empty when the name is not a level. */
  public static Optional<CompatibilityLevel> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
