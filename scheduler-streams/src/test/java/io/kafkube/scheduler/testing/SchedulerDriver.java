package io.kafkube.scheduler.testing;

import io.kafkube.registry.client.InMemorySchemaRegistryClient;
import io.kafkube.registry.serde.AvroDeserializer;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.scheduler.SchedulerConfig;
import io.kafkube.scheduler.SchedulerTopology;
import io.kafkube.schemas.envelope.CommandView;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.schemas.topic.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The shipped scheduler topology on a {@link TopologyTestDriver}, with the in-memory registry. */
public final class SchedulerDriver implements AutoCloseable {
  public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final String scope = "scheduler-" + UUID.randomUUID();
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, GenericRecord> pods;
  private final TestInputTopic<String, GenericRecord> nodes;
  private final TestOutputTopic<String, GenericRecord> commands;
  private final TestInputTopic<String, GenericRecord> priorityClasses;
  private final TestInputTopic<String, GenericRecord> claims;
  private final TestInputTopic<String, GenericRecord> volumes;
  private final io.kafkube.schemas.resource.ResourceType priorityClassType = io.kafkube.schemas.resource
      .ResourceRegistry.kubernetes().byGroupResource("priorityclasses.scheduling.k8s.io").orElseThrow();
  private final Path stateDir;
  private final TopicCatalog topics;

  public SchedulerDriver(SchedulerConfig config) {
    this(config, 3);
  }

  /** The topology of state topics of {@code partitions} partitions (one: no internal topic). */
  public SchedulerDriver(SchedulerConfig config, int partitions) {
    InMemorySchemaRegistryClient client = InMemorySchemaRegistryClient.forScope(scope);
    topics = KafkubeTopics.catalog("t", partitions, schema -> AvroSerde.generic(client, schema, false));
    try {
      stateDir = Files.createTempDirectory("scheduler-ttd-");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, topics.applicationId("scheduler"));
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(SchedulerTopology.build(topics, config), props, START);
    pods = driver.createInputTopic(topics.state(TestPods.PODS).name(), Serdes.String().serializer(),
        topics.state(TestPods.PODS).valueSerde().serializer());
    nodes = driver.createInputTopic(topics.state(TestNodes.NODES).name(), Serdes.String().serializer(),
        topics.state(TestNodes.NODES).valueSerde().serializer());
    priorityClasses = driver.createInputTopic(topics.state(priorityClassType).name(), Serdes.String().serializer(),
        topics.state(priorityClassType).valueSerde().serializer());
    claims = driver.createInputTopic(topics.state(TestVolumes.PVCS).name(), Serdes.String().serializer(),
        topics.state(TestVolumes.PVCS).valueSerde().serializer());
    volumes = driver.createInputTopic(topics.state(TestVolumes.PVS).name(), Serdes.String().serializer(),
        topics.state(TestVolumes.PVS).valueSerde().serializer());
    commands = driver.createOutputTopic(topics.commands().name(), Serdes.String().deserializer(),
        AvroDeserializer.generic(client));
  }

  /** A test configuration: 10 ms punctuation, large batches, 1 s → 10 s backoff, 30 s assumption timeout. */
  public static SchedulerConfig config() {
    return SchedulerConfig.defaults().withPunctuateInterval(Duration.ofMillis(10));
  }

  public void node(TestNodes.Builder node) {
    nodes.pipeInput(node.key(), node.obj());
  }

  /** A PriorityClass on state.priorityclasses. */
  public void priorityClass(String name, int value, boolean globalDefault) {
    com.fasterxml.jackson.databind.node.ObjectNode pc =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    pc.put("apiVersion", "scheduling.k8s.io/v1");
    pc.put("kind", "PriorityClass");
    pc.putObject("metadata").put("name", name);
    pc.put("value", value);
    pc.put("globalDefault", globalDefault);
    io.kafkube.schemas.json.Conversion c = io.kafkube.schemas.json.KubeJson.toAvro(pc,
        io.kafkube.schemas.avro.KafkubeSchemas.kind(priorityClassType));
    if (!c.clean()) {
      throw new IllegalStateException("bad test priority class: " + c.problems());
    }
    priorityClasses.pipeInput(priorityClassType.key(null, name).toString(), c.record());
  }

  /**
   * Any object on its state topic, from JSON (e.g. {@code {"metadata": {"name": "team-a", "labels": {…}}}});
   * apiVersion and kind are filled in. Returns its object key.
   */
  public String object(String groupResource, com.fasterxml.jackson.databind.node.ObjectNode json) {
    io.kafkube.schemas.resource.ResourceType type = io.kafkube.schemas.resource.ResourceRegistry.kubernetes()
        .byGroupResource(groupResource).orElseThrow();
    json.put("apiVersion", type.apiVersion());
    json.put("kind", type.kind());
    io.kafkube.schemas.json.Conversion c = io.kafkube.schemas.json.KubeJson.toAvro(json,
        io.kafkube.schemas.avro.KafkubeSchemas.kind(type));
    if (!c.clean()) {
      throw new IllegalStateException("bad test " + type.kind() + ": " + c.problems());
    }
    com.fasterxml.jackson.databind.JsonNode meta = json.path("metadata");
    String key = type.key(meta.path("namespace").isMissingNode() ? "default" : meta.path("namespace").asText(),
        meta.path("name").asText()).toString();
    input(type).pipeInput(key, c.record());
    return key;
  }

  /** Deletes an object by its key. */
  public void deleteObject(String groupResource, String key) {
    input(io.kafkube.schemas.resource.ResourceRegistry.kubernetes().byGroupResource(groupResource).orElseThrow())
        .pipeInput(key, null);
  }

  private TestInputTopic<String, GenericRecord> input(io.kafkube.schemas.resource.ResourceType type) {
    return driver.createInputTopic(topics.state(type).name(), Serdes.String().serializer(),
        topics.state(type).valueSerde().serializer());
  }

  /** A Namespace with labels. */
  public String namespace(String name, java.util.Map<String, String> labels) {
    com.fasterxml.jackson.databind.node.ObjectNode ns =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    com.fasterxml.jackson.databind.node.ObjectNode meta = ns.putObject("metadata").put("name", name);
    labels.forEach(meta.putObject("labels")::put);
    return object("namespaces", ns);
  }

  /** A StorageClass with the given volumeBindingMode. */
  public String storageClass(String name, String volumeBindingMode) {
    com.fasterxml.jackson.databind.node.ObjectNode sc =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    sc.putObject("metadata").put("name", name);
    sc.put("provisioner", "kubernetes.io/no-provisioner");
    sc.put("volumeBindingMode", volumeBindingMode);
    return object("storageclasses.storage.k8s.io", sc);
  }

  public void claim(GenericRecord pvc) {
    claims.pipeInput(TestVolumes.claimKey(io.kafkube.schemas.meta.Meta.name(pvc)), pvc);
  }

  public void volume(GenericRecord pv) {
    volumes.pipeInput(TestVolumes.volumeKey(io.kafkube.schemas.meta.Meta.name(pv)), pv);
  }

  public void deleteNode(String key) {
    nodes.pipeInput(key, null);
  }

  public void pod(String key, GenericRecord pod) {
    pods.pipeInput(key, pod);
  }

  public void pod(TestPods.Builder pod) {
    pods.pipeInput(pod.key(), pod.obj());
  }

  public void deletePod(String key) {
    pods.pipeInput(key, null);
  }

  /** Advances the wall clock (running the punctuator when due) and returns the commands sent. */
  public List<CommandView> advance(Duration d) {
    driver.advanceWallClockTime(d);
    return commands();
  }

  public List<CommandView> commands() {
    return commands.readValuesToList().stream().map(CommandView::new).toList();
  }

  @Override
  public void close() {
    driver.close();
    InMemorySchemaRegistryClient.dropScope(scope);
    try (var files = Files.walk(stateDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // a temp directory left behind
    }
  }
}
