package io.kafkube.store;

import static io.kafkube.store.TestObjects.CONFIGMAPS;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.serde.AvroDeserializer;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.registry.server.RegistryConfig;
import io.kafkube.registry.server.SchemaRegistryServer;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.schemas.topic.TopicAdmin;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.store.client.CommandClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store as a separate JVM on a real broker, killed with SIGKILL in the middle of 10,000
 * commands and restarted: every acknowledged write is present exactly once with the revision it was
 * acknowledged with, and history has no duplicates.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class StoreCrashRecoveryTest {
  private static final int P = 3;
  private static final int COMMANDS = 10_000;

  @TempDir
  static Path dir;
  static EmbeddedKafka kafka;
  static SchemaRegistryServer registry;
  static TopicCatalog topics;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).build().start();
    registry = SchemaRegistryServer.startAndWait(
        RegistryConfig.builder(kafka.bootstrapServers(), "kafkube._schemas").port(0).build(), Duration.ofSeconds(60));
    CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(registry.url());
    topics = KafkubeTopics.catalog(KafkubeTopics.DEFAULT_PREFIX, P, s -> AvroSerde.generic(client, s, false));
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      TopicAdmin.ensureCreated(admin, topics.all(), (short) 1);
    }
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private Process startStore() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
        StoreMain.class.getName(), "--bootstrap-servers", kafka.bootstrapServers(),
        "--registry-url", registry.url(), "--partitions", Integer.toString(P),
        "--state-dir", dir.resolve("store-state").toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("store.log").toFile()));
    return pb.start();
  }

  @Test
  void killNineMidwayLosesNoAcknowledgedWriteAndDuplicatesNothing() throws Exception {
    Process store = startStore();
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    try (CommandClient client = new CommandClient(kafka.bootstrapServers(), topics, -1)) {
      Semaphore window = new Semaphore(200);
      List<CompletableFuture<ReplyView>> all = new ArrayList<>();
      boolean killed = false;
      for (int i = 0; i < COMMANDS; i++) {
        String name = "cm-" + i;
        GenericRecord cmd = TestObjects.command(Op.CREATE, CONFIGMAPS, "default", name, client.newRequestId())
            .replyPartition(client.replyPartition())
            .object(TestObjects.configMap("default", name, Map.of("i", Integer.toString(i)))).build();
        window.acquire();
        CompletableFuture<ReplyView> f = client.send(cmd).whenComplete((r, e) -> window.release());
        f.thenAccept(r -> {
          if (r.code() == 201) {
            acknowledged.put(TestObjects.key(CONFIGMAPS, "default", name), r.revision());
          }
        });
        all.add(f);
        if (!killed && acknowledged.size() >= COMMANDS / 3) {
          store.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
          killed = true;
          store = startStore();
        }
      }
      assertThat(killed).as("the store was killed while commands were in flight").isTrue();
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(4, TimeUnit.MINUTES);
      assertThat(all).allSatisfy(f -> assertThat(f.join().code()).isEqualTo(201));
    } finally {
      store.destroy();
      store.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(acknowledged).hasSize(COMMANDS);

    // state: each acknowledged object exactly once, with the revision it was acknowledged with
    Map<String, GenericRecord> state = new HashMap<>();
    List<ConsumerRecord<String, GenericRecord>> stateRecords = readAll(topics.state(CONFIGMAPS).name());
    for (ConsumerRecord<String, GenericRecord> r : stateRecords) {
      assertThat(state.put(r.key(), r.value())).as("one state record per created key %s", r.key()).isNull();
    }
    for (Map.Entry<String, Long> e : acknowledged.entrySet()) {
      GenericRecord obj = state.get(e.getKey());
      assertThat(obj).as(e.getKey()).isNotNull();
      assertThat(Meta.resourceVersion(obj)).isEqualTo(Long.toString(e.getValue()));
    }
    // history: no duplicate revision, one CREATE per object
    Set<Long> revisions = new HashSet<>();
    Set<String> created = new HashSet<>();
    for (ConsumerRecord<String, GenericRecord> r : readAll(topics.history().name())) {
      long rev = ((Number) r.value().get("revision")).longValue();
      assertThat(revisions.add(rev)).as("revision %s appears once in history", rev).isTrue();
      if (r.key().startsWith(CONFIGMAPS.keyPrefix())) {
        assertThat(created.add(r.key())).as("one change for %s", r.key()).isTrue();
        assertThat(rev).isEqualTo(acknowledged.get(r.key()));
      }
    }
    assertThat(created).hasSize(COMMANDS);
  }

  private static List<ConsumerRecord<String, GenericRecord>> readAll(String topic) {
    Properties p = kafka.clientProperties();
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, GenericRecord>> out = new ArrayList<>();
    try (KafkaConsumer<String, GenericRecord> c = new KafkaConsumer<>(p, new StringDeserializer(),
        AvroDeserializer.generic(new CachedSchemaRegistryClient(registry.url())))) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

}
