package io.kafkube.store.internal;

import static io.kafkube.store.TestObjects.CONFIGMAPS;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.kafkube.registry.client.InMemorySchemaRegistryClient;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.schemas.topic.Topic;
import io.kafkube.schemas.topic.TopicAdmin;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.store.TestObjects;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restoring a store task from the state topics on a real broker: committed records in log order
 * (a later record replaces, a tombstone removes), aborted ones never, only the task's partition, and no
 * read while the previous owner's transaction is still open on them.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StateRestoreTest {
  private static final int P = 2;

  @TempDir
  static Path dir;
  static EmbeddedKafka kafka;
  static TopicCatalog topics;
  static String scope;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).build().start();
    scope = "restore-" + UUID.randomUUID();
    InMemorySchemaRegistryClient client = InMemorySchemaRegistryClient.forScope(scope);
    topics = KafkubeTopics.catalog("r", P, s -> AvroSerde.generic(client, s, false));
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      TopicAdmin.ensureCreated(admin, topics.all(), (short) 1);
    }
  }

  @AfterAll
  static void stop() {
    InMemorySchemaRegistryClient.dropScope(scope);
    if (kafka != null) {
      kafka.close();
    }
  }

  private static StateRestore restore() {
    List<Topic<String, GenericRecord>> state = new ArrayList<>(topics.stateTopics().values());
    state.add(topics.kv());
    return new StateRestore(kafka.bootstrapServers(), state, Duration.ofSeconds(60));
  }

  private static KafkaProducer<String, GenericRecord> producer(String transactionalId) {
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    KafkaProducer<String, GenericRecord> producer = new KafkaProducer<>(p, new StringSerializer(),
        topics.state(CONFIGMAPS).valueSerde().serializer());
    producer.initTransactions();
    return producer;
  }

  /** A configmap name whose key falls in {@code partition}. */
  private static String nameIn(String prefix, int partition) {
    for (int i = 0; ; i++) {
      String name = prefix + "-" + i;
      if (Partitions.of(TestObjects.key(CONFIGMAPS, "default", name), P) == partition) {
        return name;
      }
    }
  }

  private static ProducerRecord<String, GenericRecord> put(String name, String value) {
    return new ProducerRecord<>(topics.state(CONFIGMAPS).name(), TestObjects.key(CONFIGMAPS, "default", name),
        value == null ? null : TestObjects.configMap("default", name, Map.of("v", value)));
  }

  @Test
  void loadsTheCommittedRecordsOfItsPartitionInLogOrderAndNoAbortedOne() {
    String kept = nameIn("kept", 0);
    String replaced = nameIn("replaced", 0);
    String removed = nameIn("removed", 0);
    String aborted = nameIn("aborted", 0);
    String elsewhere = nameIn("elsewhere", 1);
    try (KafkaProducer<String, GenericRecord> producer = producer("restore-order")) {
      producer.beginTransaction();
      producer.send(put(kept, "1"));
      producer.send(put(replaced, "1"));
      producer.send(put(removed, "1"));
      producer.send(put(elsewhere, "1"));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(put(aborted, "1"));
      producer.send(put(kept, "aborted"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(put(replaced, "2"));
      producer.send(put(removed, null));
      producer.commitTransaction();
    }
    CurrentObjects objects = new CurrentObjects();
    long read = restore().load(0, objects);

    assertThat(read).isEqualTo(5);
    assertThat(objects.range("", null)).containsExactly(TestObjects.key(CONFIGMAPS, "default", kept),
        TestObjects.key(CONFIGMAPS, "default", replaced));
    assertThat(data(objects.get(TestObjects.key(CONFIGMAPS, "default", kept)))).isEqualTo("1");
    assertThat(data(objects.get(TestObjects.key(CONFIGMAPS, "default", replaced)))).isEqualTo("2");
  }

  @Test
  void waitsUntilTheTransactionOpenOnItsPartitionEndsAndLoadsWhatItCommitted() throws Exception {
    String late = nameIn("late", 1);
    try (KafkaProducer<String, GenericRecord> producer = producer("restore-open")) {
      producer.beginTransaction();
      producer.send(put(late, "committed-late"));
      producer.flush();
      CurrentObjects objects = new CurrentObjects();
      CompletableFuture<Long> loading = CompletableFuture.supplyAsync(() -> restore().load(1, objects));
      Thread.sleep(2_000);
      assertThat(loading).as("no read while a transaction is open on the partition").isNotDone();

      producer.commitTransaction();
      loading.get(60, TimeUnit.SECONDS);
      assertThat(data(objects.get(TestObjects.key(CONFIGMAPS, "default", late)))).isEqualTo("committed-late");
    }
  }

  private static String data(GenericRecord configMap) {
    return configMap == null ? null : ((Map<?, ?>) configMap.get("data")).entrySet().iterator().next().getValue()
        .toString();
  }
}
