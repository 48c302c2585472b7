package io.kafkube.store;

import io.kafkube.schemas.envelope.KeyValues;
import io.kafkube.schemas.resource.ObjectKey;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.store.internal.CommandProcessor;
import io.kafkube.store.internal.Mutations;
import io.kafkube.store.internal.ObjectRules;
import io.kafkube.store.internal.ObjectSize;
import io.kafkube.store.internal.Partitions;
import io.kafkube.store.internal.StateRestore;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * The store's topology — kafkube's etcd: {@code commands} → compare-and-swap against the current
 * object → {@code state.<resource>}, {@code history}, {@code replies}, {@code assignments}. The current
 * objects live in the processor and are restored from the state topics, which are their changelog (no
 * second copy of every object in a Streams changelog). A static function so that tests run exactly what
 * ships.
 */
public final class StoreTopology {
  public static final String SOURCE = "commands-source";
  public static final String PROCESSOR = "apply-commands";

  private StoreTopology() {}

  /**
   * @param topics      the cluster's topic catalogue
   * @param registry    the kinds the store accepts
   * @param sizes       the encoded size of an object (the 1.5 MiB limit)
   * @param values      serializes any kafkube value to any topic (Confluent wire format)
   * @param rules       the shared defaulting and validation
   * @param restore     loads a task's current objects from its partition of the state topics
   */
  public static Topology build(TopicCatalog topics, ResourceRegistry registry, ObjectSize sizes,
      Serializer<GenericRecord> values, ObjectRules rules, StateRestore.Loader restore) {
    int partitions = topics.partitions();
    Mutations mutations = new Mutations(registry, partitions, rules, sizes::of);
    Topology t = new Topology();
    t.addSource(SOURCE, Serdes.String().deserializer(), topics.commands().valueSerde().deserializer(),
        topics.commands().name());
    t.addProcessor(PROCESSOR, () -> new CommandProcessor(mutations, partitions, restore), SOURCE);

    String kvTopic = topics.kv().name();
    TopicNameExtractor<String, GenericRecord> stateTopic = (key, value, ctx) -> KeyValues.isRawKey(key) ? kvTopic
        : topics.state(ObjectKey.parse(key, registry)
            .orElseThrow(() -> new IllegalStateException("not an object key: " + key)).type()).name();
    t.addSink(CommandProcessor.STATE_SINK, stateTopic, Serdes.String().serializer(), values, PROCESSOR);
    t.addSink(CommandProcessor.HISTORY_SINK, topics.history().name(), Serdes.String().serializer(), values,
        PROCESSOR);
    t.addSink(CommandProcessor.REPLIES_SINK, topics.replies().name(), Serdes.String().serializer(), values,
        replyPartitioner(), PROCESSOR);
    t.addSink(CommandProcessor.ASSIGNMENTS_SINK, topics.assignments().name(), Serdes.String().serializer(),
        values, byNodeName(), PROCESSOR);
    return t;
  }

  /** Replies go to the partition the asking API instance reads, when it named one. */
  static StreamPartitioner<String, GenericRecord> replyPartitioner() {
    return new StreamPartitioner<>() {
      @Override
      public Optional<Set<Integer>> partitions(String topic, String key, GenericRecord value, int numPartitions) {
        if (value != null && value.getSchema().getField("replyPartition") != null
            && value.get("replyPartition") instanceof Integer p && p >= 0 && p < numPartitions) {
          return Optional.of(Set.of(p));
        }
        return Optional.empty();
      }
    };
  }

  /** Assignments are partitioned by node name (the key's first segment), so an agent reads one partition. */
  static StreamPartitioner<String, GenericRecord> byNodeName() {
    return new StreamPartitioner<>() {
      @Override
      public Optional<Set<Integer>> partitions(String topic, String key, GenericRecord value, int numPartitions) {
        return Optional.of(Set.of(Partitions.of(nodeOfAssignmentKey(key), numPartitions)));
      }
    };
  }

  /** {@code node-1/registry/pods/default/web} → {@code node-1}. */
  public static String nodeOfAssignmentKey(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? key : key.substring(0, slash);
  }

  /** The partition of the assignments topic that holds a node's pods. */
  public static int assignmentPartition(String nodeName, int partitions) {
    return Partitions.of(nodeName, partitions);
  }
}
