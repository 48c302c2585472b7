package io.kafkube.agent;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads compacted topic partitions from the beginning (read_committed, no group: the partitions are
 * assigned) and hands every record to a handler on its own thread; says when it has caught up with
 * the end offsets it saw at start.
 */
public final class TopicFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

  /** Receives the records (value null: tombstone). */
  public interface Handler {
    void record(String topic, String key, GenericRecord value);

    /** Once, when the initial content has been read. */
    void caughtUp();
  }

  private final String name;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, Deserializer<GenericRecord>> values;
  private final Handler handler;
  private final Thread thread;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private volatile boolean running = true;

  public TopicFollower(String name, String bootstrapServers, List<TopicPartition> partitions,
      Map<String, Deserializer<GenericRecord>> values, Handler handler) {
    this.name = name;
    this.values = values;
    this.handler = handler;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(() -> run(partitions), name);
    thread.setDaemon(true);
  }

  public TopicFollower start() {
    thread.start();
    return this;
  }

  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isCaughtUp() {
    return caughtUp.getCount() == 0;
  }

  private void run(List<TopicPartition> partitions) {
    try {
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
      while (running) {
        if (caughtUp.getCount() > 0) {
          end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
          if (end.isEmpty()) {
            caughtUp.countDown();
            handler.caughtUp();
          }
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (r.key() == null) {
            continue;
          }
          GenericRecord v = null;
          if (r.value() != null) {
            try {
              v = values.get(r.topic()).deserialize(r.topic(), r.value());
            } catch (RuntimeException e) {
              LOG.warn("[{}] skipping undecodable record {} at {}-{}@{}: {}", name, r.key(), r.topic(), r.partition(),
                  r.offset(), e.toString());
              continue;
            }
          }
          try {
            handler.record(r.topic(), r.key(), v);
          } catch (RuntimeException e) {
            LOG.warn("[{}] handler failed on {}", name, r.key(), e);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      if (running) {
        LOG.error("[{}] consumer failed", name, e);
      }
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
