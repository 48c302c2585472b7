package io.kafkube.store;

import static io.kafkube.store.TestObjects.CONFIGMAPS;
import static io.kafkube.store.TestObjects.PODS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * acknowledged with, and history has no duplicates. Also: clients that read one replies partition each
 * get their own replies, and a command no store answers times out and is no longer waited for.
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
    Map<String, Long> updated = new HashMap<>();
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

      // The restarted store restored what the killed one had committed from the state topics: creating an
      // object made before the kill again is refused, and an update with its acknowledged version applies.
      for (int i = 0; i < COMMANDS / 3; i += 97) {
        String name = "cm-" + i;
        String key = TestObjects.key(CONFIGMAPS, "default", name);
        ReplyView again = client.call(TestObjects.command(Op.CREATE, CONFIGMAPS, "default", name,
            client.newRequestId()).replyPartition(client.replyPartition())
            .object(TestObjects.configMap("default", name, Map.of("i", "again"))).build(), Duration.ofSeconds(60));
        assertThat(again.code()).as("re-create of %s made before the kill", name).isEqualTo(409);
        GenericRecord changed = TestObjects.configMap("default", name, Map.of("i", "changed"));
        Meta.set(changed, "resourceVersion", Long.toString(acknowledged.get(key)));
        ReplyView update = client.call(TestObjects.command(Op.UPDATE, CONFIGMAPS, "default", name,
            client.newRequestId()).replyPartition(client.replyPartition()).object(changed).build(),
            Duration.ofSeconds(60));
        assertThat(update.code()).as("update of %s at its acknowledged version", name).isEqualTo(200);
        updated.put(key, update.revision());
      }
      assertThat(updated).isNotEmpty();
    } finally {
      store.destroy();
      store.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(acknowledged).hasSize(COMMANDS);

    // state: each acknowledged object exactly once (twice for the updated ones: create, then update), the
    // last with the revision its last write was acknowledged with
    Map<String, GenericRecord> state = new HashMap<>();
    Map<String, Integer> records = new HashMap<>();
    for (ConsumerRecord<String, GenericRecord> r : readAll(topics.state(CONFIGMAPS).name())) {
      state.put(r.key(), r.value());
      records.merge(r.key(), 1, Integer::sum);
    }
    for (Map.Entry<String, Long> e : acknowledged.entrySet()) {
      GenericRecord obj = state.get(e.getKey());
      assertThat(obj).as(e.getKey()).isNotNull();
      assertThat(Meta.resourceVersion(obj))
          .isEqualTo(Long.toString(updated.getOrDefault(e.getKey(), e.getValue())));
      assertThat(records.get(e.getKey())).as("state records of %s", e.getKey())
          .isEqualTo(updated.containsKey(e.getKey()) ? 2 : 1);
    }
    // history: no duplicate revision, one CREATE per object at its acknowledged revision, one UPDATE per update
    Set<Long> revisions = new HashSet<>();
    Set<String> created = new HashSet<>();
    Map<String, Long> updates = new HashMap<>();
    for (ConsumerRecord<String, GenericRecord> r : readAll(topics.history().name())) {
      long rev = ((Number) r.value().get("revision")).longValue();
      assertThat(revisions.add(rev)).as("revision %s appears once in history", rev).isTrue();
      if (r.key().startsWith(CONFIGMAPS.keyPrefix())) {
        if ("UPDATE".equals(r.value().get("verb").toString())) {
          assertThat(updates.put(r.key(), rev)).as("one update of %s", r.key()).isNull();
        } else {
          assertThat(created.add(r.key())).as("one create of %s", r.key()).isTrue();
          assertThat(rev).isEqualTo(acknowledged.get(r.key()));
        }
      }
    }
    assertThat(updates).isEqualTo(updated);
    assertThat(created).hasSize(COMMANDS);
  }

  @Test
  void clientsReadingOnePartitionEachGetTheirOwnReplies() throws Exception {
    Process store = startStore();
    try (CommandClient a = new CommandClient(kafka.bootstrapServers(), topics, 0);
         CommandClient b = new CommandClient(kafka.bootstrapServers(), topics, 0)) {
      Map<String, CompletableFuture<ReplyView>> sent = new HashMap<>();
      Map<String, String> names = new HashMap<>();
      for (int i = 0; i < 50; i++) {
        for (CommandClient c : List.of(a, b)) {
          String name = (c == a ? "a-" : "b-") + i;
          String id = c.newRequestId();
          names.put(id, name);
          sent.put(id, c.send(TestObjects.command(Op.CREATE, PODS, "default", name, id).replyPartition(0)
              .object(TestObjects.pod("default", name, "nginx")).build()));
        }
      }
      for (Map.Entry<String, CompletableFuture<ReplyView>> e : sent.entrySet()) {
        ReplyView r = e.getValue().get(2, TimeUnit.MINUTES);
        assertThat(r.requestId()).isEqualTo(e.getKey());
        assertThat(r.code()).isEqualTo(201);
        assertThat(Meta.name(r.object())).isEqualTo(names.get(e.getKey()));
      }
      assertThat(a.inFlight()).isZero();
      assertThat(b.inFlight()).isZero();
    } finally {
      store.destroy();
      store.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aCommandNoStoreAnswersTimesOutAndIsNoLongerAwaited() throws Exception {
    // no store runs outside the other tests
    try (CommandClient client = new CommandClient(kafka.bootstrapServers(), topics, -1)) {
      String id = client.newRequestId();
      CompletableFuture<ReplyView> f = client.send(TestObjects.command(Op.CREATE, PODS, "default", "unanswered", id)
          .replyPartition(client.replyPartition()).object(TestObjects.pod("default", "unanswered", "nginx")).build(),
          Duration.ofMillis(500));
      assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
      assertThat(client.inFlight()).isZero();
    }
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
