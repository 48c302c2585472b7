package io.kafkube.scheduler;

import io.kafkube.scheduler.framework.Namespaces;
import io.kafkube.scheduler.framework.SchedulingAlgorithm;
import io.kafkube.scheduler.framework.Volumes;
import io.kafkube.scheduler.framework.Workloads;
import io.kafkube.scheduler.internal.Event;
import io.kafkube.scheduler.internal.EventSerde;
import io.kafkube.scheduler.internal.SchedulerProcessor;
import io.kafkube.scheduler.plugins.DefaultProfile;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.topic.Topic;
import io.kafkube.schemas.topic.TopicCatalog;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The scheduler as a Streams topology: {@code state.pods} and {@code state.nodes} → one
 * single-partition internal topic ({@value #EVENTS}, every event under the key {@value #ROUTE_KEY}; skipped
 * when the state topics have one partition, whose one task is then the scheduling task)
 * (with {@code state.priorityclasses}, {@code state.poddisruptionbudgets}, {@code state.persistentvolumeclaims}
 * and {@code state.persistentvolumes}, and the objects the plugins consult: {@code state.namespaces},
 * {@code state.services}, {@code state.replicasets}, {@code state.statefulsets}, {@code state.storageclasses})
 * → the one scheduling task
 * ({@link SchedulerProcessor}) with its stores → BIND, UPDATE_STATUS, preemption DELETE and Event
 * CREATE commands on {@code commands}, keyed by object key. With one partition there is one
 * task: Kafka's assignment of it is the leader election; standby replicas keep its stores warm.
 */
public final class SchedulerTopology {
  /** The internal topic's name suffix: {@code <applicationId>-scheduler-events-repartition}. */
  public static final String EVENTS = "scheduler-events";
  public static final String ROUTE_KEY = "scheduler";
  public static final String PODS_STORE = "scheduler-pods";
  public static final String NODES_STORE = "scheduler-nodes";
  public static final String ASSUMED_STORE = "scheduler-assumed";
  public static final String PRIORITY_CLASSES_STORE = "scheduler-priorityclasses";
  public static final String PDBS_STORE = "scheduler-poddisruptionbudgets";
  public static final String CLAIMS_STORE = "scheduler-persistentvolumeclaims";
  public static final String VOLUMES_STORE = "scheduler-persistentvolumes";
  /** Namespaces, Services, ReplicaSets, StatefulSets and StorageClasses, as scheduler events by kind and key. */
  public static final String OBJECTS_STORE = "scheduler-objects";
  /** The state topics of the objects the plugins consult, by event kind (their resource). */
  private static final Map<Event.Kind, String> OBJECT_RESOURCES = Map.of(
      Event.Kind.NAMESPACE, "namespaces", Event.Kind.SERVICE, "services",
      Event.Kind.REPLICA_SET, "replicasets.apps", Event.Kind.STATEFUL_SET, "statefulsets.apps",
      Event.Kind.STORAGE_CLASS, "storageclasses.storage.k8s.io");

  private SchedulerTopology() {}

  public static Topology build(TopicCatalog topics, SchedulerConfig config) {
    ResourceRegistry registry = ResourceRegistry.kubernetes();
    ResourceType podType = registry.byGroupResource("pods").orElseThrow();
    ResourceType nodeType = registry.byGroupResource("nodes").orElseThrow();
    Topic<String, GenericRecord> pods = topics.state(podType);
    Topic<String, GenericRecord> nodes = topics.state(nodeType);
    Topic<String, GenericRecord> priorityClasses =
        topics.state(registry.byGroupResource("priorityclasses.scheduling.k8s.io").orElseThrow());
    Topic<String, GenericRecord> pdbs = topics.state(registry.byGroupResource("poddisruptionbudgets.policy").orElseThrow());
    Topic<String, GenericRecord> claims = topics.state(registry.byGroupResource("persistentvolumeclaims").orElseThrow());
    Topic<String, GenericRecord> volumes = topics.state(registry.byGroupResource("persistentvolumes").orElseThrow());
    Topic<String, GenericRecord> commands = topics.commands();
    Map<Event.Kind, Topic<String, GenericRecord>> objectTopics = new EnumMap<>(Event.Kind.class);
    OBJECT_RESOURCES.forEach((kind, resource) ->
        objectTopics.put(kind, topics.state(registry.byGroupResource(resource).orElseThrow())));
    Map<Event.Kind, EventSerde.Source> sources = new HashMap<>(Map.of(
        Event.Kind.POD, new EventSerde.Source(pods.valueSerde(), pods.name()),
        Event.Kind.NODE, new EventSerde.Source(nodes.valueSerde(), nodes.name()),
        Event.Kind.PRIORITY_CLASS, new EventSerde.Source(priorityClasses.valueSerde(), priorityClasses.name()),
        Event.Kind.POD_DISRUPTION_BUDGET, new EventSerde.Source(pdbs.valueSerde(), pdbs.name()),
        Event.Kind.PERSISTENT_VOLUME_CLAIM, new EventSerde.Source(claims.valueSerde(), claims.name()),
        Event.Kind.PERSISTENT_VOLUME, new EventSerde.Source(volumes.valueSerde(), volumes.name())));
    objectTopics.forEach((kind, topic) -> sources.put(kind, new EventSerde.Source(topic.valueSerde(), topic.name())));
    EventSerde events = new EventSerde(sources);

    StreamsBuilder builder = new StreamsBuilder();
    // The pods store holds each pod as state.pods wrote it: the scheduling task stores the bytes it was routed.
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PODS_STORE),
        Serdes.String(), Serdes.ByteArray()));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NODES_STORE),
        Serdes.String(), nodes.valueSerde()));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ASSUMED_STORE),
        Serdes.String(), Serdes.String()));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PRIORITY_CLASSES_STORE),
        Serdes.String(), priorityClasses.valueSerde()));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PDBS_STORE),
        Serdes.String(), pdbs.valueSerde()));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CLAIMS_STORE),
        Serdes.String(), claims.valueSerde()));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VOLUMES_STORE),
        Serdes.String(), volumes.valueSerde()));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OBJECTS_STORE),
        Serdes.String(), events));

    // The routing tasks never look at an object: they pass each state topic's value bytes on as they are.
    KStream<String, Event> podEvents = route(builder, pods, Event.Kind.POD, "pods");
    KStream<String, Event> nodeEvents = route(builder, nodes, Event.Kind.NODE, "nodes");
    KStream<String, Event> classEvents = route(builder, priorityClasses, Event.Kind.PRIORITY_CLASS, "priorityclasses");
    KStream<String, Event> pdbEvents = route(builder, pdbs, Event.Kind.POD_DISRUPTION_BUDGET, "pdbs");
    KStream<String, Event> claimEvents = route(builder, claims, Event.Kind.PERSISTENT_VOLUME_CLAIM, "claims");
    KStream<String, Event> volumeEvents = route(builder, volumes, Event.Kind.PERSISTENT_VOLUME, "volumes");

    KStream<String, Event> objectEvents = null;
    for (Map.Entry<Event.Kind, Topic<String, GenericRecord>> e : objectTopics.entrySet()) {
      String name = e.getKey().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      KStream<String, Event> s = route(builder, e.getValue(), e.getKey(), name);
      objectEvents = objectEvents == null ? s : objectEvents.merge(s, Named.as("and-" + name));
    }

    SchedulerProcessor.Settings settings = config.processorSettings();
    KStream<String, Event> all = podEvents.merge(nodeEvents, Named.as("pods-and-nodes"))
        .merge(classEvents, Named.as("and-priorityclasses"))
        .merge(pdbEvents, Named.as("and-pdbs"))
        .merge(claimEvents, Named.as("and-claims"))
        .merge(volumeEvents, Named.as("and-volumes"))
        .merge(objectEvents, Named.as("and-cluster-objects"));
    // With one partition per state topic, their one task sees every object already: it is the scheduling
    // task, and no event makes the round trip through the internal topic (a produce, an append, a fetch).
    KStream<String, Event> toScheduler = topics.partitions() == 1 ? all
        : all.repartition(Repartitioned.<String, Event>as(EVENTS)
            .withKeySerde(Serdes.String()).withValueSerde(events).withNumberOfPartitions(1));
    toScheduler
        .process(() -> {
          Volumes view = new Volumes();
          Namespaces namespaces = new Namespaces();
          Workloads workloads = new Workloads();
          return new SchedulerProcessor(new SchedulingAlgorithm(DefaultProfile.create(view, namespaces, workloads),
              settings.percentageOfNodesToScore()), view, sources.get(Event.Kind.POD), settings,
              PODS_STORE, NODES_STORE, ASSUMED_STORE, PRIORITY_CLASSES_STORE, PDBS_STORE, CLAIMS_STORE, VOLUMES_STORE)
              .withClusterObjects(namespaces, workloads, OBJECTS_STORE).withEncodedEvents(events);
        }, Named.as("scheduler"), PODS_STORE, NODES_STORE, ASSUMED_STORE, PRIORITY_CLASSES_STORE, PDBS_STORE,
            CLAIMS_STORE, VOLUMES_STORE, OBJECTS_STORE)
        .to(commands.name(), Produced.with(commands.keySerde(), commands.valueSerde()).withName("commands-sink"));
    return builder.build();
  }

  /** A state topic's changes, keyed for the scheduling task, their values still encoded. */
  private static KStream<String, Event> route(StreamsBuilder builder, Topic<String, GenericRecord> topic,
      Event.Kind kind, String name) {
    return builder
        .stream(topic.name(), Consumed.with(topic.keySerde(), Serdes.ByteArray()).withName(name + "-source"))
        .filter((k, v) -> k != null, Named.as(name + "-with-key"))
        .map((k, v) -> KeyValue.pair(ROUTE_KEY, Event.encoded(kind, k, v)), Named.as(name + "-to-scheduler"));
  }
}
