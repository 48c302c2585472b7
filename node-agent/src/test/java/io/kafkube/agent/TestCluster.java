package io.kafkube.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.registry.serde.AvroSerializer;
import io.kafkube.registry.server.RegistryConfig;
import io.kafkube.registry.server.SchemaRegistryServer;
import io.kafkube.scheduler.SchedulerConfig;
import io.kafkube.scheduler.SchedulerService;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.json.Conversion;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.schemas.topic.TopicAdmin;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.store.SharedObjectRules;
import io.kafkube.store.StoreConfig;
import io.kafkube.store.StoreService;
import io.kafkube.store.client.CommandClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/** A broker, the registry, the store and the scheduler in this JVM, and a view of the pods' state topic. */
final class TestCluster implements AutoCloseable {
  static final int P = 3;
  static final User ADMIN = new User("admin", List.of("system:masters"), null);
  static final ResourceType PODS = ResourceRegistry.kubernetes().byGroupResource("pods").orElseThrow();
  static final ResourceType CONFIGMAPS = ResourceRegistry.kubernetes().byGroupResource("configmaps").orElseThrow();

  final EmbeddedKafka kafka;
  final SchemaRegistryServer registry;
  final TopicCatalog topics;
  final StoreService store;
  final SchedulerService scheduler;
  final CommandClient client;
  final Map<String, GenericRecord> pods = new ConcurrentHashMap<>();
  final Map<String, GenericRecord> nodes = new ConcurrentHashMap<>();
  final Map<String, GenericRecord> leases = new ConcurrentHashMap<>();
  final Map<String, GenericRecord> events = new ConcurrentHashMap<>();
  private final TopicFollower follower;

  TestCluster(Path dir) throws Exception {
    kafka = EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).build().start();
    registry = SchemaRegistryServer.startAndWait(
        RegistryConfig.builder(kafka.bootstrapServers(), "kafkube._schemas").port(0).build(), Duration.ofSeconds(60));
    CachedSchemaRegistryClient rc = new CachedSchemaRegistryClient(registry.url());
    topics = KafkubeTopics.catalog(KafkubeTopics.DEFAULT_PREFIX, P, s -> AvroSerde.generic(rc, s, false));
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      TopicAdmin.ensureCreated(admin, topics.all(), (short) 1);
    }
    store = StoreService.start(StoreConfig.defaults().withBootstrapServers(kafka.bootstrapServers())
            .withRegistryUrl(registry.url()).withPartitions(P).withStateDir(dir.resolve("store")),
        topics, AvroSerializer.generic(rc, false), new SharedObjectRules(), Duration.ofMinutes(2));
    client = new CommandClient(kafka.bootstrapServers(), topics, -1);
    StoreService.bootstrapNamespaces(client, Duration.ofSeconds(60));
    scheduler = SchedulerService.start(SchedulerConfig.defaults().withBootstrapServers(kafka.bootstrapServers())
            .withRegistryUrl(registry.url()).withPartitions(P).withStateDir(dir.resolve("scheduler")),
        topics, Duration.ofMinutes(2));
    List<TopicPartition> parts = new ArrayList<>();
    Map<String, org.apache.kafka.common.serialization.Deserializer<GenericRecord>> values = new ConcurrentHashMap<>();
    for (ResourceType t : List.of(PODS, NodeAgent.NODES, NodeAgent.LEASES,
        io.kafkube.agent.event.EventRecorder.EVENTS)) {
      values.put(topics.state(t).name(), topics.state(t).valueSerde().deserializer());
      for (int p = 0; p < P; p++) {
        parts.add(new TopicPartition(topics.state(t).name(), p));
      }
    }
    follower = new TopicFollower("test-state", kafka.bootstrapServers(), parts, values, new TopicFollower.Handler() {
      @Override
      public void record(String topic, String key, GenericRecord value) {
        Map<String, GenericRecord> m = key.startsWith(PODS.keyPrefix()) ? pods
            : key.startsWith(NodeAgent.NODES.keyPrefix()) ? nodes
            : key.startsWith(io.kafkube.agent.event.EventRecorder.EVENTS.keyPrefix()) ? events : leases;
        if (value == null) {
          m.remove(key);
        } else {
          m.put(key, value);
        }
      }

      @Override
      public void caughtUp() {}
    }).start();
  }

  AgentConfig.Builder agentConfig(Path dataDir, String nodeName) {
    return AgentConfig.defaults().toBuilder().bootstrapServers(kafka.bootstrapServers()).registryUrl(registry.url())
        .partitions(P).nodeName(nodeName).dataDir(dataDir).syncPeriod(Duration.ofMillis(200))
        .backoff(Duration.ofSeconds(1), Duration.ofSeconds(4)).leaseRenewInterval(Duration.ofSeconds(2));
  }

  static GenericRecord decode(String json, ResourceType type) {
    Conversion c = KubeJson.decode(json.getBytes(StandardCharsets.UTF_8), KafkubeSchemas.kind(type));
    if (!c.clean()) {
      throw new IllegalArgumentException(c.problems().toString());
    }
    return c.record();
  }

  ReplyView create(ResourceType type, String namespace, String name, String json) throws Exception {
    GenericRecord cmd = Envelopes.command(Op.CREATE, type.key(namespace, name).toString(), type.groupResource(), ADMIN,
        client.newRequestId()).replyPartition(client.replyPartition()).object(decode(json, type)).build();
    return client.call(cmd, Duration.ofSeconds(30));
  }

  ReplyView deletePod(String name, long grace) throws Exception {
    GenericRecord cmd = Envelopes.command(Op.DELETE, PODS.key("default", name).toString(), PODS.groupResource(), ADMIN,
        client.newRequestId()).replyPartition(client.replyPartition()).gracePeriodSeconds(grace).build();
    return client.call(cmd, Duration.ofSeconds(30));
  }

  /** The events about a pod, as {@code reason: message} lines. */
  List<String> eventsOf(String podName) {
    List<String> out = new ArrayList<>();
    for (GenericRecord e : events.values()) {
      JsonNode j = KubeJson.toJson(e);
      if (j.path("involvedObject").path("name").asText().equals(podName)) {
        out.add(j.path("reason").asText() + ": " + j.path("message").asText());
      }
    }
    return out;
  }

  ReplyView update(ResourceType type, String namespace, String name, String json) throws Exception {
    GenericRecord cmd = Envelopes.command(Op.UPDATE, type.key(namespace, name).toString(), type.groupResource(), ADMIN,
        client.newRequestId()).replyPartition(client.replyPartition()).object(decode(json, type)).build();
    return client.call(cmd, Duration.ofSeconds(30));
  }

  static String podKey(String name) {
    return PODS.key("default", name).toString();
  }

  /** The pod as Kubernetes JSON, or a missing node. */
  JsonNode pod(String name) {
    GenericRecord r = pods.get(podKey(name));
    return r == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : KubeJson.toJson(r);
  }

  @Override
  public void close() {
    follower.close();
    client.close();
    scheduler.close();
    store.close();
    registry.close();
    kafka.close();
  }
}
