package io.kafkube.store.internal;

import io.kafkube.schemas.topic.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a store task's current objects from the state topics, which are its changelog: the task of
 * {@code commands} partition {@code p} owns exactly the keys of partition {@code p} of every state
 * topic (keys, generated names included, are partitioned alike), and every object it keeps is written
 * to its state topic in the same transaction. Read {@code read_committed} to the end, the state topics
 * therefore hold the objects as of the task's committed command offset.
 *
 * <p>It reads to the log end, not to the last stable offset: only the previous owner of the task can
 * have a transaction open on those partitions, and its records are either all committed (then they
 * belong to the state the committed offsets stand for, which can be stable before the commit markers
 * reach every state partition) or all aborted. Either way the read waits for that transaction to end.
 */
public final class StateRestore {
  private static final Logger LOG = LoggerFactory.getLogger(StateRestore.class);

  /** Where the loaded objects go, in log order (a later record of a key replaces the earlier). */
  public interface Target {
    void put(String key, GenericRecord value);

    void remove(String key);
  }

  /** Loads partition {@code partition} of the state into {@code target}; returns how many records it read. */
  @FunctionalInterface
  public interface Loader {
    long load(int partition, Target target);
  }

  private final Properties client;
  private final List<Topic<String, GenericRecord>> topics;
  private final Duration timeout;

  /**
   * @param bootstrapServers the cluster's brokers
   * @param topics           every topic the store writes current objects to (each kind's, and the raw keys')
   * @param timeout          how long to wait for an open transaction to end and for the records to be read
   */
  public StateRestore(String bootstrapServers, List<Topic<String, GenericRecord>> topics, Duration timeout) {
    this.client = new Properties();
    client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.topics = List.copyOf(topics);
    this.timeout = timeout;
  }

  public long load(int partition, Target target) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<TopicPartition, Deserializer<GenericRecord>> values = new HashMap<>();
    for (Topic<String, GenericRecord> t : topics) {
      values.put(new TopicPartition(t.name(), partition), t.valueSerde().deserializer());
    }
    List<TopicPartition> parts = new ArrayList<>(values.keySet());
    Map<TopicPartition, Long> end = logEnd(client, parts, deadline);
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "kafkube-store-restore-" + partition);
    long n = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> pending = new ArrayList<>();
      for (TopicPartition tp : parts) {
        if (end.get(tp) > 0) {
          pending.add(tp);
        }
      }
      consumer.assign(pending);
      consumer.seekToBeginning(pending);
      while (!pending.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the store could not read partition " + partition
              + " of the state topics within " + timeout + " (a transaction left open on them?); still reading "
              + pending);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() >= end.get(tp) || r.key() == null) {
            continue;
          }
          n++;
          if (r.value() == null) {
            target.remove(r.key());
          } else {
            target.put(r.key(), values.get(tp).deserialize(r.topic(), r.value()));
          }
        }
        pending.removeIf(tp -> consumer.position(tp) >= end.get(tp));
      }
    }
    LOG.info("[store] partition {}: {} state records read from {} topics", partition, n, topics.size());
    return n;
  }

  /**
   * The log end of each partition. A {@code read_committed} reader cannot pass a transaction that is still
   * open, so reading up to the log end (not to the last stable offset) waits for the previous owner's last
   * transaction to end, and then includes its records if it committed.
   */
  private static Map<TopicPartition, Long> logEnd(Properties client, List<TopicPartition> parts, long deadline) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    parts.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
    try (Admin admin = Admin.create(client)) {
      Map<TopicPartition, Long> out = new HashMap<>();
      admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
          .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
          .forEach((tp, info) -> out.put(tp, info.offset()));
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while restoring the store", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the state topics' end offsets", e);
    }
  }
}
