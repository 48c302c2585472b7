package io.kafkube.scheduler.internal;

import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.registry.client.InMemorySchemaRegistryClient;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.scheduler.SchedulerConfig;
import io.kafkube.scheduler.SchedulerTopology;
import io.kafkube.scheduler.framework.SchedulingAlgorithm;
import io.kafkube.scheduler.plugins.DefaultProfile;
import io.kafkube.scheduler.testing.TestNodes;
import io.kafkube.scheduler.testing.TestPods;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.envelope.CommandView;
import io.kafkube.schemas.envelope.Op;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduling processor on a {@link MockProcessorContext}: its punctuator fired by hand, and a
 * restart on the same stores (what a new instance or a standby taking over sees) continuing where
 * the previous one stopped.
 */
class SchedulerProcessorTest {
  // One registry per store: the mock context names every store's changelog "changelog".
  private final String scope = "processor-" + UUID.randomUUID();
  /** The pods' state topic serde: the pods store holds the bytes it writes. */
  private final EventSerde.Source podCodec = new EventSerde.Source(AvroSerde.generic(
      InMemorySchemaRegistryClient.forScope(scope + SchedulerTopology.PODS_STORE), KafkubeSchemas.kind(TestPods.PODS),
      false), "t.state.pods");
  private final KeyValueStore<String, byte[]> pods = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore(SchedulerTopology.PODS_STORE), Serdes.String(), Serdes.ByteArray())
      .withLoggingDisabled().build();
  private final KeyValueStore<String, GenericRecord> nodes = store(SchedulerTopology.NODES_STORE, TestNodes.NODES);
  private final KeyValueStore<String, String> assumed = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore(SchedulerTopology.ASSUMED_STORE), Serdes.String(), Serdes.String())
      .withLoggingDisabled().build();
  private static final io.kafkube.schemas.resource.ResourceType PRIORITY_CLASSES = io.kafkube.schemas.resource
      .ResourceRegistry.kubernetes().byGroupResource("priorityclasses.scheduling.k8s.io").orElseThrow();
  private static final io.kafkube.schemas.resource.ResourceType PDBS = io.kafkube.schemas.resource
      .ResourceRegistry.kubernetes().byGroupResource("poddisruptionbudgets.policy").orElseThrow();
  private final KeyValueStore<String, GenericRecord> classes =
      store(SchedulerTopology.PRIORITY_CLASSES_STORE, PRIORITY_CLASSES);
  private final KeyValueStore<String, GenericRecord> pdbs = store(SchedulerTopology.PDBS_STORE, PDBS);
  private final KeyValueStore<String, GenericRecord> claims = store(SchedulerTopology.CLAIMS_STORE,
      io.kafkube.schemas.resource.ResourceRegistry.kubernetes().byGroupResource("persistentvolumeclaims").orElseThrow());
  private final KeyValueStore<String, GenericRecord> volumes = store(SchedulerTopology.VOLUMES_STORE,
      io.kafkube.schemas.resource.ResourceRegistry.kubernetes().byGroupResource("persistentvolumes").orElseThrow());
  private static final io.kafkube.schemas.resource.ResourceType NAMESPACES = io.kafkube.schemas.resource
      .ResourceRegistry.kubernetes().byGroupResource("namespaces").orElseThrow();
  private static final io.kafkube.schemas.resource.ResourceType REPLICA_SETS = io.kafkube.schemas.resource
      .ResourceRegistry.kubernetes().byGroupResource("replicasets.apps").orElseThrow();
  private final KeyValueStore<String, Event> objects = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore(SchedulerTopology.OBJECTS_STORE), Serdes.String(), new EventSerde(java.util.Map.of(
          Event.Kind.NAMESPACE, new EventSerde.Source(AvroSerde.generic(InMemorySchemaRegistryClient.forScope(
              scope + SchedulerTopology.OBJECTS_STORE), KafkubeSchemas.kind(NAMESPACES), false), "t.state.namespaces"),
          Event.Kind.REPLICA_SET, new EventSerde.Source(AvroSerde.generic(InMemorySchemaRegistryClient.forScope(
              scope + SchedulerTopology.OBJECTS_STORE), KafkubeSchemas.kind(REPLICA_SETS), false),
              "t.state.replicasets"))))
      .withLoggingDisabled().build();
  private boolean storesInitialized;
  private MockProcessorContext<String, GenericRecord> context;
  private SchedulerProcessor processor;

  private KeyValueStore<String, GenericRecord> store(String name, io.kafkube.schemas.resource.ResourceType type) {
    return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
        AvroSerde.generic(InMemorySchemaRegistryClient.forScope(scope + name), KafkubeSchemas.kind(type), false))
        .withLoggingDisabled().build();
  }

  @AfterEach
  void dropRegistry() {
    InMemorySchemaRegistryClient.dropScope(scope + SchedulerTopology.PODS_STORE);
    InMemorySchemaRegistryClient.dropScope(scope + SchedulerTopology.NODES_STORE);
    InMemorySchemaRegistryClient.dropScope(scope + SchedulerTopology.PRIORITY_CLASSES_STORE);
    InMemorySchemaRegistryClient.dropScope(scope + SchedulerTopology.PDBS_STORE);
    InMemorySchemaRegistryClient.dropScope(scope + SchedulerTopology.CLAIMS_STORE);
    InMemorySchemaRegistryClient.dropScope(scope + SchedulerTopology.VOLUMES_STORE);
    InMemorySchemaRegistryClient.dropScope(scope + SchedulerTopology.OBJECTS_STORE);
  }

  /** A new processor instance on the same stores, as after a restart. */
  private void start() {
    context = new MockProcessorContext<>();
    if (!storesInitialized) {
      pods.init(context.getStateStoreContext(), pods);
      nodes.init(context.getStateStoreContext(), nodes);
      assumed.init(context.getStateStoreContext(), assumed);
      classes.init(context.getStateStoreContext(), classes);
      pdbs.init(context.getStateStoreContext(), pdbs);
      claims.init(context.getStateStoreContext(), claims);
      volumes.init(context.getStateStoreContext(), volumes);
      objects.init(context.getStateStoreContext(), objects);
      storesInitialized = true;
    }
    context.addStateStore(pods);
    context.addStateStore(nodes);
    context.addStateStore(assumed);
    context.addStateStore(classes);
    context.addStateStore(pdbs);
    context.addStateStore(claims);
    context.addStateStore(volumes);
    context.addStateStore(objects);
    io.kafkube.scheduler.framework.Volumes view = new io.kafkube.scheduler.framework.Volumes();
    io.kafkube.scheduler.framework.Namespaces namespaces = new io.kafkube.scheduler.framework.Namespaces();
    io.kafkube.scheduler.framework.Workloads workloads = new io.kafkube.scheduler.framework.Workloads();
    processor = new SchedulerProcessor(new SchedulingAlgorithm(DefaultProfile.create(view, namespaces, workloads)), view,
        podCodec, SchedulerConfig.defaults().processorSettings(), SchedulerTopology.PODS_STORE, SchedulerTopology.NODES_STORE,
        SchedulerTopology.ASSUMED_STORE, SchedulerTopology.PRIORITY_CLASSES_STORE, SchedulerTopology.PDBS_STORE,
        SchedulerTopology.CLAIMS_STORE, SchedulerTopology.VOLUMES_STORE)
        .withClusterObjects(namespaces, workloads, SchedulerTopology.OBJECTS_STORE);
    processor.init(context);
  }

  private void podEvent(String key, GenericRecord obj) {
    processor.process(new Record<>(SchedulerTopology.ROUTE_KEY, new Event(Event.Kind.POD, key, obj), 0L));
  }

  private List<CommandView> punctuate(long now) {
    context.resetForwards();
    context.scheduledPunctuators().get(0).getPunctuator().punctuate(now);
    return context.forwarded().stream().map(f -> new CommandView(f.record().value())).toList();
  }

  private void objectEvent(Event.Kind kind, io.kafkube.schemas.resource.ResourceType type, String ns, String json) {
    com.fasterxml.jackson.databind.node.ObjectNode o;
    try {
      o = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(json.replace('\'', '"'));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    o.put("apiVersion", type.apiVersion());
    o.put("kind", type.kind());
    GenericRecord rec = io.kafkube.schemas.json.KubeJson.toAvro(o, KafkubeSchemas.kind(type)).record();
    String key = type.key(ns, o.path("metadata").path("name").asText()).toString();
    processor.process(new Record<>(SchedulerTopology.ROUTE_KEY, new Event(kind, key, rec), 0L));
  }

  @Test
  void namespaceLabelsAndSelectorsSurviveARestartAndOnlyTheirChangesAreStored() {
    start();
    TestNodes.Builder n = node("n").cpu("4").memory("4Gi");
    processor.process(new Record<>(SchedulerTopology.ROUTE_KEY, new Event(Event.Kind.NODE, n.key(), n.obj()), 0L));
    objectEvent(Event.Kind.NAMESPACE, NAMESPACES, null, "{'metadata': {'name': 'other', 'labels': {'team': 'b'}}}");
    TestPods.Builder w = pod("w").namespace("other").label("app", "web").nodeName("n");
    podEvent(w.key(), w.obj());
    objectEvent(Event.Kind.REPLICA_SET, REPLICA_SETS, "default",
        "{'metadata': {'name': 'web', 'namespace': 'default'}, 'spec': {'selector': {'matchLabels': {'app': 'web'}}}}");
    Event rs = objects.get("REPLICA_SET /registry/replicasets.apps/default/web");
    assertThat(rs).isNotNull();
    objectEvent(Event.Kind.REPLICA_SET, REPLICA_SETS, "default", "{'metadata': {'name': 'web', 'namespace': 'default', "
        + "'resourceVersion': '9'}, 'spec': {'selector': {'matchLabels': {'app': 'web'}}}, 'status': {'replicas': 2}}");
    assertThat(objects.get("REPLICA_SET /registry/replicasets.apps/default/web"))
        .as("a status update is not written").isEqualTo(rs);

    start(); // the namespace's labels come back from the store
    TestPods.Builder p = pod("p").podAntiAffinity("kubernetes.io/hostname", "app=web").namespaceSelector("team=b");
    podEvent(p.key(), p.obj());
    assertThat(punctuate(1_000)).extracting(CommandView::op).containsExactly(Op.UPDATE_STATUS, Op.CREATE);
    objectEvent(Event.Kind.NAMESPACE, NAMESPACES, null, "{'metadata': {'name': 'other', 'labels': {'team': 'c'}}}");
    assertThat(punctuate(1_100)).extracting(CommandView::op).containsExactly(Op.BIND);
    processor.process(new Record<>(SchedulerTopology.ROUTE_KEY,
        new Event(Event.Kind.NAMESPACE, "/registry/namespaces/other", null), 0L));
    assertThat(objects.get("NAMESPACE /registry/namespaces/other")).isNull();
  }

  @Test
  void schedulesAWallClockPunctuator() {
    start();
    assertThat(context.scheduledPunctuators()).singleElement().satisfies(p -> {
      assertThat(p.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
      assertThat(p.getInterval()).isEqualTo(Duration.ofMillis(20));
    });
  }

  @Test
  void aPodIsStoredAsItsStateTopicWroteItAndReadBackFromThoseBytesAfterARestart() {
    start();
    TestNodes.Builder n = node("n").cpu("2").memory("2Gi");
    processor.process(new Record<>(SchedulerTopology.ROUTE_KEY, new Event(Event.Kind.NODE, n.key(), n.obj()), 0L));
    TestPods.Builder a = pod("a").cpu("1");
    byte[] written = podCodec.serde().serializer().serialize(podCodec.topic(), a.obj());
    // routed through the internal topic: the task's event has the object and the bytes it was decoded from
    EventSerde serde = new EventSerde(java.util.Map.of(Event.Kind.POD, podCodec));
    Event routed = serde.deserializer().deserialize("events",
        serde.serializer().serialize("events", Event.encoded(Event.Kind.POD, a.key(), written)));
    assertThat(routed.object()).isNotNull();
    assertThat(routed.encoded()).isEqualTo(written);
    processor.process(new Record<>(SchedulerTopology.ROUTE_KEY, routed, 0L));
    assertThat(pods.get(a.key())).isSameAs(routed.encoded());
    TestPods.Builder b = pod("b").cpu("1");
    podEvent(b.key(), b.obj()); // decoded only (no bytes): encoded with the state topic's serde
    assertThat(podCodec.serde().deserializer().deserialize(podCodec.topic(), pods.get(b.key()))).isEqualTo(b.obj());

    start(); // both pods back from the stored bytes, still to schedule
    assertThat(processor.queued()).isEqualTo(2);
    assertThat(punctuate(1_000)).extracting(CommandView::op, CommandView::key).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple(Op.BIND, a.key()), org.assertj.core.groups.Tuple.tuple(Op.BIND, b.key()));
  }

  @Test
  void aRestartKeepsTheAssumptionsAndTheCache() {
    start();
    TestNodes.Builder n = node("n").cpu("1").memory("1Gi");
    processor.process(new Record<>(SchedulerTopology.ROUTE_KEY, new Event(Event.Kind.NODE, n.key(), n.obj()), 0L));
    TestPods.Builder a = pod("a").cpu("1");
    podEvent(a.key(), a.obj());
    assertThat(punctuate(1_000)).extracting(CommandView::op, CommandView::key)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Op.BIND, a.key()));

    start(); // the BIND of a is in flight
    assertThat(processor.assumedCount()).isEqualTo(1);
    TestPods.Builder b = pod("b").cpu("1");
    podEvent(b.key(), b.obj());
    assertThat(punctuate(2_000)).extracting(CommandView::op).containsExactly(Op.UPDATE_STATUS, Op.CREATE);

    podEvent(a.key(), a.nodeName("n").obj()); // the bind is seen
    assertThat(processor.assumedCount()).isZero();
    start(); // a is bound on n, b waits
    assertThat(processor.queued()).isEqualTo(1);
    // n is still full (b's condition was never applied here, so it is sent again: backoff starts anew)
    assertThat(punctuate(3_000)).extracting(CommandView::op).containsExactly(Op.UPDATE_STATUS, Op.CREATE);
    podEvent(a.key(), null); // a is deleted: b is retried at once and fits
    assertThat(punctuate(3_010)).extracting(CommandView::op, CommandView::key)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Op.BIND, b.key()));
  }
}
