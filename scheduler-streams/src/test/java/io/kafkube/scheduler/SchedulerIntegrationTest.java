package io.kafkube.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.registry.serde.AvroSerializer;
import io.kafkube.registry.server.RegistryConfig;
import io.kafkube.registry.server.SchemaRegistryServer;
import io.kafkube.scheduler.testing.TestNodes;
import io.kafkube.scheduler.testing.TestPods;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.schemas.topic.TopicAdmin;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.store.SharedObjectRules;
import io.kafkube.store.StoreConfig;
import io.kafkube.store.StoreService;
import io.kafkube.store.client.CommandClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker, the registry, the store and the scheduler in this JVM: nodes and pods created through
 * the store are bound by the scheduler through the store, and no node holds more than it has.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SchedulerIntegrationTest {
  private static final int P = 3;
  private static final User ADMIN = new User("admin", List.of("system:masters"), null);

  @TempDir
  static Path dir;
  static EmbeddedKafka kafka;
  static SchemaRegistryServer registry;
  static TopicCatalog topics;
  static StoreService store;
  static SchedulerService scheduler;

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
    store = StoreService.start(StoreConfig.defaults().withBootstrapServers(kafka.bootstrapServers())
            .withRegistryUrl(registry.url()).withPartitions(P).withStateDir(dir.resolve("store")),
        topics, AvroSerializer.generic(client, false), new SharedObjectRules(), Duration.ofMinutes(2));
    try (CommandClient c = new CommandClient(kafka.bootstrapServers(), topics, -1)) {
      StoreService.bootstrapNamespaces(c, Duration.ofSeconds(60));
    }
    scheduler = SchedulerService.start(SchedulerConfig.defaults().withBootstrapServers(kafka.bootstrapServers())
            .withRegistryUrl(registry.url()).withPartitions(P).withStateDir(dir.resolve("scheduler")),
        topics, Duration.ofMinutes(2));
  }

  @AfterAll
  static void stop() {
    if (scheduler != null) {
      scheduler.close();
    }
    if (store != null) {
      store.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private static GenericRecord create(CommandClient client, ResourceType type, String key, GenericRecord obj) {
    for (String f : List.of("uid", "resourceVersion", "creationTimestamp")) {
      Meta.set(obj, f, null);
    }
    return Envelopes.command(Op.CREATE, key, type.groupResource(), ADMIN, client.newRequestId())
        .replyPartition(client.replyPartition()).object(obj).build();
  }

  @Test
  void thirtyPodsOnThreeNodesAreAllBoundAndNoNodeIsOvercommitted() throws Exception {
    Map<String, Long> cpuOf = new HashMap<>();
    try (CommandClient client = new CommandClient(kafka.bootstrapServers(), topics, -1)) {
      for (int i = 0; i < 3; i++) {
        TestNodes.Builder n = TestNodes.node("worker-" + i).cpu("2").memory("4Gi").pods(20);
        ReplyView r = client.call(create(client, TestNodes.NODES, n.key(), n.obj()), Duration.ofSeconds(30));
        assertThat(r.code()).as(r.message()).isEqualTo(201);
      }
      // 30 x 200m = exactly the 6 cpus of the three nodes: only a scheduler that counts its own
      // in-flight binds places all of them.
      List<CompletableFuture<ReplyView>> created = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        TestPods.Builder p = TestPods.pod("web-" + i).cpu("200m").memory("128Mi");
        cpuOf.put(p.key(), 200L);
        created.add(client.send(create(client, TestPods.PODS, p.key(), p.obj())));
      }
      for (CompletableFuture<ReplyView> f : created) {
        ReplyView r = f.get(30, TimeUnit.SECONDS);
        assertThat(r.code()).as(r.message()).isEqualTo(201);
      }
    }

    Map<String, String> boundTo = new HashMap<>();
    Properties props = kafka.clientProperties();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, GenericRecord> c = new KafkaConsumer<>(props, new StringDeserializer(),
        topics.state(TestPods.PODS).valueSerde().deserializer())) {
      String topic = topics.state(TestPods.PODS).name();
      List<TopicPartition> parts = new ArrayList<>();
      for (int i = 0; i < P; i++) {
        parts.add(new TopicPartition(topic, i));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        c.poll(Duration.ofMillis(200)).forEach(r -> {
          String node = r.value() == null ? null : AvroPaths.string(AvroPaths.record(r.value(), "spec"), "nodeName");
          if (node != null && cpuOf.containsKey(r.key())) {
            String before = boundTo.put(r.key(), node);
            assertThat(before == null || before.equals(node)).as("%s moved from %s to %s", r.key(), before, node)
                .isTrue();
          }
        });
        return boundTo.size() == 30;
      });
    }
    Map<String, Long> cpuOnNode = new HashMap<>();
    boundTo.forEach((pod, node) -> cpuOnNode.merge(node, cpuOf.get(pod), Long::sum));
    assertThat(cpuOnNode).containsOnlyKeys("worker-0", "worker-1", "worker-2");
    assertThat(cpuOnNode.values()).allSatisfy(cpu -> assertThat(cpu).isLessThanOrEqualTo(2000L));
    assertThat(scheduler.state().isRunningOrRebalancing()).isTrue();
  }
}
