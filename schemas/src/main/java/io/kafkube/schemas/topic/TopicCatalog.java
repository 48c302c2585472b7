package io.kafkube.schemas.topic;

import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The catalogue of every topic of one kafkube cluster. Topic names are built here, from the
 * cluster prefix, and nowhere else. Values are Avro records; how they are serialized (the Confluent
 * wire format through a schema registry) is supplied by the caller as a function from the value's
 * schema to a serde, so that this catalogue does not depend on a registry implementation.
 */
public final class TopicCatalog {
  /** Objects are at most 1.5 MiB (etcd's limit); topics take the envelope around them too. */
  public static final int MAX_OBJECT_BYTES = 1536 * 1024;
  public static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

  private static final String MAX_MESSAGE = Integer.toString(MAX_MESSAGE_BYTES);

  private final String prefix;
  private final int partitions;
  private final Topic<String, GenericRecord> commands;
  private final Topic<String, GenericRecord> history;
  private final Topic<String, GenericRecord> replies;
  private final Topic<String, GenericRecord> assignments;
  private final Topic<byte[], byte[]> schemas;
  private final Topic<String, GenericRecord> kv;
  private final Topic<String, String> audit;
  private final Map<ResourceType, Topic<String, GenericRecord>> state;

  /**
   * @param prefix     the cluster prefix, {@code kafkube} by default
   * @param partitions P, the partition count of the keyed topics; fixed when the cluster is created
   * @param registry   the kinds whose state topics exist
   * @param schemas    the value schema of each envelope and kind
   * @param valueSerde makes the serde for values of a schema
   */
  public TopicCatalog(String prefix, int partitions, ResourceRegistry registry, ValueSchemas schemas,
      Function<Schema, Serde<GenericRecord>> valueSerde) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    if (!prefix.matches("[a-zA-Z0-9._-]+")) {
      throw new IllegalArgumentException("invalid cluster prefix: " + prefix);
    }
    this.partitions = partitions;
    Serde<String> keys = Serdes.String();
    this.commands = new Topic<>(commandsTopicName(prefix), keys, valueSerde.apply(schemas.command()), partitions,
        Map.of("cleanup.policy", "delete",
            "retention.ms", Long.toString(Duration.ofDays(7).toMillis()),
            "max.message.bytes", MAX_MESSAGE));
    this.history = new Topic<>(prefix + ".history", keys, valueSerde.apply(schemas.change()), partitions,
        Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1",
            "max.message.bytes", MAX_MESSAGE));
    this.replies = new Topic<>(prefix + ".replies", keys, valueSerde.apply(schemas.reply()), partitions,
        Map.of("cleanup.policy", "delete",
            "retention.ms", Long.toString(Duration.ofHours(1).toMillis()),
            "max.message.bytes", MAX_MESSAGE));
    ResourceType pods = registry.byGroupResource("pods")
        .orElseThrow(() -> new IllegalArgumentException("the registry has no pods"));
    this.assignments = new Topic<>(prefix + ".assignments", keys, valueSerde.apply(schemas.kind(pods)),
        partitions, compacted());
    this.schemas = new Topic<>(prefix + "._schemas", Serdes.ByteArray(), Serdes.ByteArray(), 1,
        Map.of("cleanup.policy", "compact"));
    Map<ResourceType, Topic<String, GenericRecord>> s = new LinkedHashMap<>();
    for (ResourceType t : registry.all()) {
      s.put(t, new Topic<>(prefix + ".state." + t.groupResource(), keys, valueSerde.apply(schemas.kind(t)),
          partitions, compacted()));
    }
    this.state = Collections.unmodifiableMap(s);
    this.kv = new Topic<>(prefix + ".state.kv", keys, valueSerde.apply(schemas.keyValue()), partitions, compacted());
    this.audit = new Topic<>(prefix + ".audit", keys, Serdes.String(), partitions,
        Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(Duration.ofDays(30).toMillis()),
            "max.message.bytes", MAX_MESSAGE));
  }

  /** The name of the commands topic of a cluster, for callers that only need to look it up. */
  public static String commandsTopicName(String prefix) {
    return prefix + ".commands";
  }

  private static Map<String, String> compacted() {
    return Map.of("cleanup.policy", "compact", "max.message.bytes", MAX_MESSAGE,
        "min.compaction.lag.ms", "0");
  }

  public String prefix() {
    return prefix;
  }

  /** P: the partition count of the keyed topics. */
  public int partitions() {
    return partitions;
  }

  /** Every change request: key = object key, value = {@code Command}. */
  public Topic<String, GenericRecord> commands() {
    return commands;
  }

  /** Every accepted change: key = object key, value = {@code Change}. */
  public Topic<String, GenericRecord> history() {
    return history;
  }

  /** Answers to commands: key = request id, value = {@code Reply}. */
  public Topic<String, GenericRecord> replies() {
    return replies;
  }

  /** Pods bound to nodes: key = node name + "/" + pod key, partitioned by node name. */
  public Topic<String, GenericRecord> assignments() {
    return assignments;
  }

  /** The schema registry's own compacted log. */
  public Topic<byte[], byte[]> schemas() {
    return schemas;
  }

  /** The compacted state topic of one kind: key = object key, value = the object. */
  public Topic<String, GenericRecord> state(ResourceType type) {
    Topic<String, GenericRecord> t = state.get(type);
    if (t == null) {
      throw new IllegalArgumentException("no state topic for " + type);
    }
    return t;
  }

  /**
   * The compacted state topic of the raw etcd-style keys (everything outside {@code /registry/}):
   * key = the etcd key, value = {@code KeyValue}; tombstone on delete.
   */
  public Topic<String, GenericRecord> kv() {
    return kv;
  }

  /**
   * The API servers' audit log: key = user name, value = one {@code audit.k8s.io/v1} Event as JSON
   * (kube-apiserver's own audit format, read as-is by audit tooling), record timestamp = when the
   * request was received. Kept 30 days, as {@code --audit-log-maxage=30} would.
   */
  public Topic<String, String> audit() {
    return audit;
  }

  public Map<ResourceType, Topic<String, GenericRecord>> stateTopics() {
    return state;
  }

  /** The state topic with this name, if it is one. */
  public ResourceType resourceOfStateTopic(String topicName) {
    for (Map.Entry<ResourceType, Topic<String, GenericRecord>> e : state.entrySet()) {
      if (e.getValue().name().equals(topicName)) {
        return e.getKey();
      }
    }
    return null;
  }

  /** The Kafka Streams application id of a component of this cluster, e.g. {@code kafkube-store}. */
  public String applicationId(String component) {
    return prefix + "-" + component;
  }

  /** Every topic of the cluster, in creation order. */
  public List<Topic<?, ?>> all() {
    List<Topic<?, ?>> all = new ArrayList<>();
    all.add(schemas);
    all.add(commands);
    all.add(history);
    all.add(replies);
    all.add(assignments);
    all.addAll(state.values());
    all.add(kv);
    all.add(audit);
    return all;
  }

  /** The schemas the topics' values are written with. */
  public interface ValueSchemas {
    Schema command();

    Schema change();

    Schema reply();

    Schema kind(ResourceType type);

    /** The {@code KeyValue} record of the raw etcd-style keys. */
    default Schema keyValue() {
      return io.kafkube.schemas.avro.KafkubeSchemas.keyValue();
    }
  }
}
