package io.kafkube.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.registry.client.InMemorySchemaRegistryClient;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.schemas.topic.TopicCatalog;
import java.util.UUID;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link SchedulerTopologyTest} again with state topics of one partition, where the events reach
 * the scheduling task without the internal topic, still encoded.
 */
class SchedulerTopologyOnePartitionTest extends SchedulerTopologyTest {
  @Override
  int partitions() {
    return 1;
  }

  @Test
  void withOnePartitionTheStateTopicsFeedTheSchedulingTaskDirectly() {
    assertThat(description(1).subtopologies()).hasSize(1);
    assertThat(sinkTopics(description(1))).noneMatch(t -> t.contains(SchedulerTopology.EVENTS));
    // with more, every event is routed through the one-partition internal topic
    assertThat(description(3).subtopologies()).hasSize(2);
    assertThat(sinkTopics(description(3))).anyMatch(t -> t.contains(SchedulerTopology.EVENTS));
  }

  private static TopologyDescription description(int partitions) {
    InMemorySchemaRegistryClient client = InMemorySchemaRegistryClient.forScope("topology-" + UUID.randomUUID());
    TopicCatalog topics = KafkubeTopics.catalog("t", partitions, schema -> AvroSerde.generic(client, schema, false));
    return SchedulerTopology.build(topics, SchedulerConfig.defaults()).describe();
  }

  private static java.util.List<String> sinkTopics(TopologyDescription d) {
    return d.subtopologies().stream().flatMap(s -> s.nodes().stream())
        .filter(n -> n instanceof TopologyDescription.Sink).map(n -> String.valueOf(((TopologyDescription.Sink) n).topic()))
        .toList();
  }
}
