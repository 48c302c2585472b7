package io.kafkube.schemas.topic;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * One Kafka topic of kafkube: its name, how its keys and values are (de)serialized, and how it is
 * created. Immutable; obtained from {@link TopicCatalog}, never built from a literal name elsewhere.
 *
 * @param partitions the partition count it is created with
 * @param config     topic-level configuration (cleanup policy, retention, message size)
 */
public record Topic<K, V>(
    String name,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    int partitions,
    Map<String, String> config) {

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be positive: " + partitions);
    }
    config = Map.copyOf(config);
  }

  /** Whether the topic is a compacted table (latest value per key). */
  public boolean compacted() {
    return config.getOrDefault("cleanup.policy", "delete").contains("compact");
  }

  /** The admin request that creates this topic with the given replication factor. */
  public NewTopic newTopic(short replicationFactor) {
    return new NewTopic(name, partitions, replicationFactor).configs(config);
  }

  @Override
  public String toString() {
    return name;
  }
}
