package io.kafkube.cli.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads topics from the beginning up to their end as of the start of the read (committed records
 * only), without a consumer group. For the CLI's history and replay.
 */
public final class TopicReader {
  private TopicReader() {}

  public static <V> void readAll(String bootstrapServers, Collection<String> topics, Deserializer<V> values,
      Consumer<ConsumerRecord<String, V>> sink) {
    readPartitions(bootstrapServers, topics, null, values, sink);
  }

  /** Reads all partitions of {@code topics}, or only {@code partition} of each when it is not null. */
  public static <V> void readPartitions(String bootstrapServers, Collection<String> topics, Integer partition,
      Deserializer<V> values, Consumer<ConsumerRecord<String, V>> sink) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(p, new StringDeserializer(), values)) {
      List<TopicPartition> parts = new ArrayList<>();
      for (String t : topics) {
        List<PartitionInfo> infos = consumer.partitionsFor(t, Duration.ofSeconds(30));
        if (infos == null) {
          throw new IllegalStateException("topic " + t + " does not exist");
        }
        for (PartitionInfo info : infos) {
          if (partition == null || info.partition() == partition) {
            parts.add(new TopicPartition(t, info.partition()));
          }
        }
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      List<TopicPartition> open = new ArrayList<>();
      for (TopicPartition tp : parts) {
        if (end.get(tp) > consumer.position(tp)) {
          open.add(tp);
        }
      }
      while (!open.isEmpty()) {
        for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            sink.accept(r);
          }
        }
        open.removeIf(tp -> consumer.position(tp) >= end.get(tp));
      }
    }
  }
}
