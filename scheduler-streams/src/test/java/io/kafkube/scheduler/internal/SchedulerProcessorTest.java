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
  private final KeyValueStore<String, GenericRecord> pods = store(SchedulerTopology.PODS_STORE, TestPods.PODS);
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
      storesInitialized = true;
    }
    context.addStateStore(pods);
    context.addStateStore(nodes);
    context.addStateStore(assumed);
    context.addStateStore(classes);
    context.addStateStore(pdbs);
    context.addStateStore(claims);
    context.addStateStore(volumes);
    io.kafkube.scheduler.framework.Volumes view = new io.kafkube.scheduler.framework.Volumes();
    processor = new SchedulerProcessor(new SchedulingAlgorithm(DefaultProfile.create(view)), view,
        SchedulerConfig.defaults().processorSettings(), SchedulerTopology.PODS_STORE, SchedulerTopology.NODES_STORE,
        SchedulerTopology.ASSUMED_STORE, SchedulerTopology.PRIORITY_CLASSES_STORE, SchedulerTopology.PDBS_STORE,
        SchedulerTopology.CLAIMS_STORE, SchedulerTopology.VOLUMES_STORE);
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

  @Test
  void schedulesAWallClockPunctuator() {
    start();
    assertThat(context.scheduledPunctuators()).singleElement().satisfies(p -> {
      assertThat(p.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
      assertThat(p.getInterval()).isEqualTo(Duration.ofMillis(20));
    });
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
