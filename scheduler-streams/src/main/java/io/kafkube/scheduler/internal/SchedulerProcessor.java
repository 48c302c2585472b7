package io.kafkube.scheduler.internal;

import io.kafkube.scheduler.framework.Namespaces;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.Preemption;
import io.kafkube.scheduler.framework.Volumes;
import io.kafkube.scheduler.framework.Workloads;
import io.kafkube.scheduler.framework.ScheduleResult;
import io.kafkube.scheduler.framework.SchedulingAlgorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import io.kafkube.schemas.meta.AvroPaths;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling task. Pod and node events update the stores (the source of truth, changelogged)
 * and the in-memory views derived from them (cluster cache, queue), which {@link #init} rebuilds
 * after a restart or a standby takeover. A wall-clock punctuator drains the queue in batches:
 * each pod gets one cycle; a fit becomes an assumption plus a BIND command, a misfit a backoff and,
 * when the message changed, a {@code PodScheduled=False} status update.
 */
public final class SchedulerProcessor implements Processor<String, Event, String, GenericRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerProcessor.class);
  /** The longest a punctuation schedules before it leaves the rest of the queue to the next one. */
  static final long MAX_TICK_NANOS = 250_000_000L;

  /** The settings the processor needs. */
  public record Settings(Duration punctuateInterval, int batchSize, Duration assumeTimeout,
      Duration initialBackoff, Duration maxBackoff, int percentageOfNodesToScore) {}

  private final SchedulingAlgorithm algorithm;
  private final Settings settings;
  private final String podsStoreName;
  private final String nodesStoreName;
  private final String assumedStoreName;
  private final String priorityClassesStoreName;
  private final String pdbsStoreName;
  private final String claimsStoreName;
  private final String volumesStoreName;
  private final Preemption preemption;
  private final Volumes volumes;
  /** The pods' state topic value serde: it wrote the bytes the pods store holds. */
  private final EventSerde.Source podCodec;
  private KeyValueStore<String, GenericRecord> claimStore;
  private KeyValueStore<String, GenericRecord> volumeStore;
  /** Volumes chosen for the claims of pods whose BIND is in flight, by pod key. */
  private final Map<String, Map<String, String>> volumesOf = new HashMap<>();

  private ProcessorContext<String, GenericRecord> context;
  /** The pods as their state topic holds them (its value bytes): a pod is stored as it came, not re-encoded. */
  private KeyValueStore<String, byte[]> pods;
  private KeyValueStore<String, GenericRecord> nodes;
  private KeyValueStore<String, String> assumedStore;
  private KeyValueStore<String, GenericRecord> priorityClassStore;
  private KeyValueStore<String, GenericRecord> pdbStore;
  /** PriorityClass values by class name, and the global default's value (kube's Priority admission). */
  private final Map<String, Integer> classValues = new HashMap<>();
  private final Map<String, Boolean> classDefaults = new HashMap<>();
  private final Map<String, GenericRecord> budgets = new HashMap<>();
  /** Pods this scheduler preempted for a pod (by the preemptor's key), until they are gone. */
  private final Map<String, List<String>> victimsOf = new HashMap<>();
  private final Map<String, Assumption> assumed = new HashMap<>();
  /** No assumption expires before this wall-clock time (ms): most rounds need not look at them. */
  private long nextExpiry = Long.MIN_VALUE;
  private ClusterCache cache;
  private final Nominator nominator = new Nominator();
  private SchedulingQueue queue;
  private long skipped;
  private Namespaces namespaceView;
  private Workloads workloadView;
  private String objectsStoreName;
  private EventSerde events;
  /** Namespaces, Services, controllers and StorageClasses the plugins consult; null when not wired. */
  private ClusterObjects objects;

  /**
   * @param volumes the view of claims and volumes the algorithm's VolumeBinding filter reads; kept here
   * @param podCodec the pods' state topic value serde, which wrote the pod bytes the pods store holds
   */
  public SchedulerProcessor(SchedulingAlgorithm algorithm, Volumes volumes, EventSerde.Source podCodec,
      Settings settings, String podsStore,
      String nodesStore, String assumedStore, String priorityClassesStore, String pdbsStore, String claimsStore,
      String volumesStore) {
    this.algorithm = algorithm;
    this.volumes = volumes;
    this.podCodec = podCodec;
    this.claimsStoreName = claimsStore;
    this.volumesStoreName = volumesStore;
    this.preemption = new Preemption(algorithm);
    this.settings = settings;
    this.podsStoreName = podsStore;
    this.nodesStoreName = nodesStore;
    this.assumedStoreName = assumedStore;
    this.priorityClassesStoreName = priorityClassesStore;
    this.pdbsStoreName = pdbsStore;
  }

  /**
   * Keeps the objects the plugins consult (Namespace labels, Service and controller selectors,
   * StorageClasses) in these views, from events of those kinds, stored in {@code objectsStore}.
   */
  public SchedulerProcessor withClusterObjects(Namespaces namespaces, Workloads workloads, String objectsStore) {
    this.namespaceView = namespaces;
    this.workloadView = workloads;
    this.objectsStoreName = objectsStore;
    return this;
  }

  /**
   * Decodes, with {@code events}, the events that reach this task still encoded: those read straight from the
   * state topics when there is no internal topic (one partition), whose serde would have decoded them.
   */
  public SchedulerProcessor withEncodedEvents(EventSerde events) {
    this.events = events;
    return this;
  }

  @Override
  public void init(ProcessorContext<String, GenericRecord> context) {
    this.context = context;
    pods = context.getStateStore(podsStoreName);
    nodes = context.getStateStore(nodesStoreName);
    assumedStore = context.getStateStore(assumedStoreName);
    priorityClassStore = context.getStateStore(priorityClassesStoreName);
    pdbStore = context.getStateStore(pdbsStoreName);
    claimStore = context.getStateStore(claimsStoreName);
    volumeStore = context.getStateStore(volumesStoreName);
    if (objectsStoreName != null) {
      objects = new ClusterObjects(context.getStateStore(objectsStoreName), volumes, namespaceView, workloadView);
    }
    rebuild();
    context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  /** The in-memory views from the stores: nodes, then assumptions, then pods (bound ones win). */
  private void rebuild() {
    cache = new ClusterCache();
    queue = new SchedulingQueue(settings.initialBackoff().toMillis(), settings.maxBackoff().toMillis());
    assumed.clear();
    nominator.clear();
    nextExpiry = Long.MIN_VALUE;
    classValues.clear();
    classDefaults.clear();
    budgets.clear();
    victimsOf.clear();
    volumesOf.clear();
    volumes.clear();
    if (objects != null) {
      objects.rebuild();
    }
    try (KeyValueIterator<String, GenericRecord> it = claimStore.all()) {
      it.forEachRemaining(kv -> volumes.putClaim(kv.value));
    }
    try (KeyValueIterator<String, GenericRecord> it = volumeStore.all()) {
      it.forEachRemaining(kv -> volumes.putVolume(kv.value));
    }
    try (KeyValueIterator<String, GenericRecord> it = priorityClassStore.all()) {
      it.forEachRemaining(kv -> rememberClass(kv.key, kv.value));
    }
    try (KeyValueIterator<String, GenericRecord> it = pdbStore.all()) {
      it.forEachRemaining(kv -> budgets.put(kv.key, kv.value));
    }
    try (KeyValueIterator<String, GenericRecord> it = nodes.all()) {
      it.forEachRemaining(kv -> cache.putNode(NodeInfo.of(nodeName(kv.key), kv.value)));
    }
    List<KeyValue<String, String>> assumptions = new ArrayList<>();
    try (KeyValueIterator<String, String> it = assumedStore.all()) {
      it.forEachRemaining(assumptions::add);
    }
    Map<String, GenericRecord> podsByKey = new HashMap<>();
    try (KeyValueIterator<String, byte[]> it = pods.all()) {
      it.forEachRemaining(kv -> podsByKey.put(kv.key, decodePod(kv.value)));
    }
    for (KeyValue<String, String> kv : assumptions) {
      Assumption a = Assumption.decode(kv.value);
      GenericRecord pod = podsByKey.get(kv.key);
      if (pod == null) {
        assumedStore.delete(kv.key);
        continue;
      }
      assumed.put(kv.key, a);
      cache.place(withPriority(PodInfo.of(kv.key, pod)), a.node());
    }
    podsByKey.forEach((key, pod) -> applyPod(key, withPriority(PodInfo.of(key, pod))));
    LOG.info("[scheduler] task {} ready: {} nodes, {} pods, {} assumed, {} queued", context.taskId(),
        cache.nodes().size(), podsByKey.size(), assumed.size(), queue.size());
  }

  @Override
  public void process(Record<String, Event> record) {
    Event e = record.value();
    if (e == null || e.key() == null) {
      skip("null event", null);
      return;
    }
    try {
      if (e.object() == null && e.encoded() != null && events != null) {
        e = events.decoded(e);
      }
      switch (e.kind()) {
        case POD -> onPod(e.key(), e.object(), e.encoded());
        case NODE -> onNode(e.key(), e.object());
        case PRIORITY_CLASS -> onPriorityClass(e.key(), e.object());
        case POD_DISRUPTION_BUDGET -> onBudget(e.key(), e.object());
        case PERSISTENT_VOLUME_CLAIM -> onClaim(e.key(), e.object());
        case PERSISTENT_VOLUME -> onVolume(e.key(), e.object());
        case NAMESPACE, SERVICE, REPLICA_SET, STATEFUL_SET, STORAGE_CLASS -> onClusterObject(e);
      }
    } catch (RuntimeException ex) {
      skip("unreadable " + e.kind() + " " + e.key() + ": " + ex, ex);
    }
  }

  private void skip(String why, RuntimeException ex) {
    skipped++;
    RecordMetadata m = context.recordMetadata().orElse(null);
    LOG.warn("[scheduler] Skipping record: {}. topic=[{}] partition=[{}] offset=[{}] skipped=[{}]", why,
        m == null ? null : m.topic(), m == null ? null : m.partition(), m == null ? null : m.offset(), skipped,
        ex);
  }

  private void onPod(String key, GenericRecord pod, byte[] encoded) {
    if (pod == null) {
      pods.delete(key);
      nominator.remove(key);
      victimsOf.remove(key);
      forgetAssumption(key);
      queue.remove(key);
      boolean freed = cache.removeGhost(key);
      if (cache.remove(key) || freed) {
        queue.activateAll();
      }
      return;
    }
    PodInfo info = withPriority(PodInfo.of(key, pod));
    pods.put(key, encoded != null ? encoded : podCodec.serde().serializer().serialize(podCodec.topic(), pod));
    applyPod(key, info);
  }

  private void onPriorityClass(String key, GenericRecord pc) {
    if (pc == null) {
      priorityClassStore.delete(key);
      classValues.remove(nodeName(key));
      classDefaults.remove(nodeName(key));
      return;
    }
    priorityClassStore.put(key, pc);
    rememberClass(key, pc);
  }

  private void rememberClass(String key, GenericRecord pc) {
    Long value = AvroPaths.longValue(pc, "value");
    classValues.put(nodeName(key), value == null ? 0 : value.intValue());
    classDefaults.put(nodeName(key), Boolean.TRUE.equals(pc.get("globalDefault")));
  }

  private void onClaim(String key, GenericRecord pvc) {
    if (pvc == null) {
      claimStore.delete(key);
      String[] parts = key.split("/");
      volumes.removeClaim(parts[parts.length - 2], parts[parts.length - 1]);
    } else {
      claimStore.put(key, pvc);
      volumes.putClaim(pvc);
    }
    queue.activateAll();
  }

  private void onVolume(String key, GenericRecord pv) {
    if (pv == null) {
      volumeStore.delete(key);
      volumes.removeVolume(nodeName(key));
    } else {
      volumeStore.put(key, pv);
      volumes.putVolume(pv);
    }
    queue.activateAll();
  }

  /** A change of what the plugins consult retries the pods waiting for a change (kube's cluster events). */
  private void onClusterObject(Event e) {
    if (objects == null) {
      skip("no view for " + e.kind() + " " + e.key(), null);
      return;
    }
    if (objects.apply(e)) {
      queue.activateAll();
    }
  }

  private void onBudget(String key, GenericRecord pdb) {
    if (pdb == null) {
      pdbStore.delete(key);
      budgets.remove(key);
      return;
    }
    pdbStore.put(key, pdb);
    budgets.put(key, pdb);
  }

  /**
   * The pod's priority as kube's Priority admission sets it: {@code spec.priority} when present (the
   * API server sets it), else the value of its PriorityClass, else the global default class's value,
   * else 0. Resolved when the scheduler first reads the pod; a pod's priority never changes.
   */
  private PodInfo withPriority(PodInfo pod) {
    Long explicit = AvroPaths.longValue(AvroPaths.record(pod.record(), "spec"), "priority");
    if (explicit != null) {
      return pod;
    }
    String cls = pod.priorityClassName();
    if (cls != null && !cls.isEmpty()) {
      return pod.withPriority(classValues.getOrDefault(cls, 0));
    }
    for (Map.Entry<String, Boolean> d : classDefaults.entrySet()) {
      if (d.getValue()) {
        return pod.withPriority(classValues.getOrDefault(d.getKey(), 0));
      }
    }
    return pod;
  }

  private void applyPod(String key, PodInfo info) {
    nominator.remove(key);
    Assumption a = assumed.get(key);
    if (a != null && !a.uid().equals(info.uid())) {
      forgetAssumption(key); // another pod of the same name: the old one is gone
      cache.remove(key);
      cache.removeGhost(key);
      a = null;
    }
    if (info.terminal()) {
      queue.remove(key);
      forgetAssumption(key);
      boolean freed = cache.removeGhost(key);
      if (cache.remove(key) || freed) {
        queue.activateAll();
      }
      return;
    }
    if (info.isBound()) {
      queue.remove(key);
      forgetAssumption(key);
      if (cache.removeGhost(key)) {
        queue.activateAll();
      }
      cache.place(info, info.nodeName());
      return;
    }
    if (a != null) {
      queue.remove(key); // our BIND is in flight
      return;
    }
    if (info.needsScheduling()) {
      queue.addOrUpdate(info);
      nominator.nominate(info, info.nominatedNodeName());
    } else {
      queue.remove(key);
    }
  }

  private void onNode(String key, GenericRecord node) {
    String name = nodeName(key);
    if (node == null) {
      nodes.delete(key);
      cache.removeNode(name);
      return;
    }
    nodes.put(key, node);
    if (cache.putNode(NodeInfo.of(name, node))) {
      queue.activateAll();
    }
  }

  /** One scheduling round: expire assumptions, end backoffs, then up to a batch of cycles. */
  void tick(long now) {
    expireAssumptions(now);
    queue.flushBackoff(now);
    int batch = settings.batchSize();
    // A punctuation runs inside the task's transaction: keep it short whatever the cycles cost, so that
    // a slow round never outlives the transaction timeout (the producer would be fenced, the task moved).
    long stopAt = System.nanoTime() + MAX_TICK_NANOS;
    for (int i = 0; i < batch && System.nanoTime() < stopAt; i++) {
      PodInfo pod = queue.poll();
      if (pod == null) {
        return;
      }
      // The pod's own ghost (an earlier BIND of it that may still apply) constrains only other pods.
      Map<String, ClusterCache.Placement> ghosts = cache.takeGhosts(pod.key());
      ScheduleResult result = algorithm.schedule(pod, cache.nodeList(), nominator);
      if (result.isPlaced()) {
        bindVolumes(pod, result.node(), now);
        assume(pod, result.node(), now);
        context.forward(new Record<>(pod.key(), Commands.bind(pod, result.node(), now), now));
      } else {
        queue.backoff(pod.key(), now);
        misfit(pod, result, now);
      }
      if (!ghosts.isEmpty()) {
        cache.restoreGhosts(pod.key(), ghosts, result.isPlaced() ? result.node() : null);
      }
    }
  }

  /**
   * A pod that fits nowhere: try preemption; on success evict the victims and nominate the node. When
   * the message or the nomination changed, set the PodScheduled condition (and nominatedNodeName) and
   * record a FailedScheduling Event.
   */
  private void misfit(PodInfo pod, ScheduleResult result, long now) {
    List<NodeInfo> nodeList = cache.nodeList();
    Preemption.Outcome outcome = preemption.preempt(pod, nodeList, result, pdbs(), preemptionUnderWay(pod),
        nominator);
    String nominated = pod.nominatedNodeName();
    String message;
    if (outcome.chosen() != null) {
      Preemption.Candidate c = outcome.chosen();
      nominated = c.node();
      message = result.message(null);
      List<String> victims = new ArrayList<>();
      for (PodInfo v : c.victims()) {
        victims.add(v.key());
        context.forward(new Record<>(v.key(), Commands.evict(v, now), now));
      }
      victimsOf.put(pod.key(), victims);
      nominator.nominate(pod, c.node()); // reserved at once, before the status update comes back
      LOG.info("[scheduler] pod {} (priority {}) preempts {} on {}", pod.key(), pod.priority(), victims, c.node());
    } else {
      message = result.message(outcome.message());
    }
    if (!message.equals(pod.scheduledConditionMessage()) || !Objects.equals(nominated, pod.nominatedNodeName())) {
      LOG.info("[scheduler] pod {} rv {} unschedulable: {}", pod.key(), pod.resourceVersion(), message);
      context.forward(new Record<>(pod.key(), Commands.unschedulable(pod, message, nominated, now), now));
      GenericRecord event = Commands.failedSchedulingEvent(pod, message, now);
      context.forward(new Record<>(event.get("key").toString(), event, now));
    }
  }

  /** Whether pods this scheduler evicted for the pod, or lower-priority pods on its nominated node, are still leaving. */
  private boolean preemptionUnderWay(PodInfo pod) {
    List<String> victims = victimsOf.get(pod.key());
    if (victims != null) {
      victims.removeIf(v -> cache.placement(v) == null);
      if (!victims.isEmpty()) {
        return true;
      }
      victimsOf.remove(pod.key());
    }
    String nominated = pod.nominatedNodeName();
    NodeInfo node = nominated == null ? null : cache.node(nominated);
    if (node != null) {
      for (PodInfo p : node.pods()) {
        if (p.deleting() && p.priority() < pod.priority()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The PodDisruptionBudgets with how many disruptions each still allows. */
  private List<Preemption.Budget> pdbs() {
    List<Preemption.Budget> out = new ArrayList<>();
    for (GenericRecord pdb : budgets.values()) {
      out.add(Budgets.of(pdb, cache.nodes()));
    }
    return out;
  }

  /** Binds the pod's unbound claims to the volumes chosen on the node, before the pod's BIND. */
  private void bindVolumes(PodInfo pod, String node, long now) {
    if (pod.claims().isEmpty()) {
      return;
    }
    Map<String, String> chosen = volumes.volumesToBind(pod, cache.node(node));
    if (chosen == null || chosen.isEmpty()) {
      return;
    }
    volumes.assume(chosen);
    volumesOf.put(pod.key(), chosen);
    chosen.forEach((claim, volume) -> {
      GenericRecord pvc = volumes.claimRecord(claim);
      GenericRecord pv = volumes.volumeRecord(volume);
      GenericRecord bindPv = Commands.bindVolume(pv, pvc, now);
      context.forward(new Record<>(bindPv.get("key").toString(), bindPv, now));
      GenericRecord bindPvc = Commands.bindClaim(pvc, volume, now);
      context.forward(new Record<>(bindPvc.get("key").toString(), bindPvc, now));
      LOG.info("[scheduler] claim {} of pod {} bound to volume {} on {}", claim, pod.key(), volume, node);
    });
  }

  private void assume(PodInfo pod, String node, long now) {
    queue.remove(pod.key());
    nominator.remove(pod.key());
    Assumption a = new Assumption(pod.uid(), node, now);
    assumed.put(pod.key(), a);
    nextExpiry = Math.min(nextExpiry, now + settings.assumeTimeout().toMillis());
    assumedStore.put(pod.key(), a.encode());
    cache.place(pod, node);
  }

  private void forgetAssumption(String key) {
    if (assumed.remove(key) != null) {
      assumedStore.delete(key);
    }
    volumesOf.remove(key);
  }

  /** A BIND not seen applied in time was refused or lost: free its claim, queue the pod again. */
  private void expireAssumptions(long now) {
    long timeout = settings.assumeTimeout().toMillis();
    if (now < nextExpiry) {
      return;
    }
    List<String> expired = new ArrayList<>();
    long[] oldest = {Long.MAX_VALUE};
    assumed.forEach((key, a) -> {
      if (now - a.sentAt() >= timeout) {
        expired.add(key);
      } else {
        oldest[0] = Math.min(oldest[0], a.sentAt());
      }
    });
    nextExpiry = oldest[0] == Long.MAX_VALUE ? Long.MAX_VALUE : oldest[0] + timeout;
    for (String key : expired) {
      Assumption a = assumed.get(key);
      LOG.warn("[scheduler] pod {} not seen bound to {} within {} ms; forgetting the assumption", key, a.node(),
          timeout);
      Map<String, String> chosen = volumesOf.get(key);
      if (chosen != null) {
        volumes.forget(chosen);
      }
      forgetAssumption(key);
      cache.keepAsGhost(key); // the BIND may still be applied: its claim stays until the pod is seen
      byte[] pod = pods.get(key);
      if (pod != null) {
        applyPod(key, withPriority(PodInfo.of(key, decodePod(pod))));
      }
    }
  }

  @Override
  public void close() {
    LOG.info("[scheduler] task {} closed: {} queued, {} assumed", context.taskId(), queue.size(), assumed.size());
  }

  private GenericRecord decodePod(byte[] encoded) {
    return podCodec.serde().deserializer().deserialize(podCodec.topic(), encoded);
  }

  private static String nodeName(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }

  // For tests of the processor's views.
  int queued() {
    return queue.size();
  }

  int assumedCount() {
    return assumed.size();
  }
}
