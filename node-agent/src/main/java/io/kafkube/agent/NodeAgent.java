package io.kafkube.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.agent.env.ConfigSource;
import io.kafkube.agent.node.NodeObjects;
import io.kafkube.agent.probe.Prober;
import io.kafkube.agent.runtime.ContainerInstance;
import io.kafkube.agent.runtime.ContainerRuntime;
import io.kafkube.agent.server.PodDirectory;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.json.Conversion;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.store.client.CommandClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's kubelet: registers the Node, renews its Lease, keeps the pods assigned to it (fed by
 * {@link AgentHost} from its partition of {@code assignments}) and, level-triggered, makes the
 * runtime match them: on every change, on every runtime event and every sync period. Publishes each
 * pod's status with UPDATE_STATUS as {@code system:node:<name>} and, once a deleted pod's containers
 * have stopped, removes the pod with a DELETE of grace 0, as kubelet does.
 */
public final class NodeAgent implements PodWorker.Node {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  static final ResourceType PODS = ResourceRegistry.kubernetes().byGroupResource("pods").orElseThrow();
  static final ResourceType NODES = ResourceRegistry.kubernetes().byGroupResource("nodes").orElseThrow();
  static final ResourceType LEASES = ResourceRegistry.kubernetes().byGroupResource("leases.coordination.k8s.io")
      .orElseThrow();
  private static final Schema POD_STATUS = AvroPaths.nonNull(KafkubeSchemas.kind(PODS).getField("status").schema());
  private static final Schema NODE_STATUS = AvroPaths.nonNull(KafkubeSchemas.kind(NODES).getField("status").schema());
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final AgentConfig cfg;
  private final ContainerRuntime runtime;
  private final CommandClient client;
  private final ConfigSource config;
  private final Prober prober;
  private final ScheduledExecutorService timer;
  private final ExecutorService syncPool;
  private final User identity;
  private final java.util.function.Supplier<NodeObjects.Machine> machine;
  private final String podCidr;

  /** Latest assignment per pod key, not yet taken by the sync thread (null value: tombstone). */
  private final Map<String, Optional<GenericRecord>> incoming = new ConcurrentHashMap<>();
  private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
  private final AtomicBoolean queued = new AtomicBoolean();
  private final Object syncLock = new Object();
  private final Set<String> orphansStopping = ConcurrentHashMap.newKeySet();
  private volatile boolean synced;
  private volatile boolean closed;
  private volatile String nodeUid;
  private volatile ObjectNode nodeConditions;
  private volatile Instant lastNodeStatus = Instant.EPOCH;
  private volatile boolean leaseExists;
  private volatile String lastPressure = "";
  private final io.kafkube.agent.event.EventRecorder events;
  private ScheduledFuture<?> leaseTask;
  private ScheduledFuture<?> resyncTask;
  private volatile int kubeletPort;

  NodeAgent(String name, AgentConfig cfg, String podCidr, ContainerRuntime runtime,
      java.util.function.Supplier<NodeObjects.Machine> machine,
      CommandClient client, ConfigSource config, Prober prober, ScheduledExecutorService timer,
      ExecutorService syncPool) {
    this.name = name;
    this.cfg = cfg;
    this.podCidr = podCidr;
    this.runtime = runtime;
    this.machine = machine;
    this.client = client;
    this.config = config;
    this.prober = prober;
    this.timer = timer;
    this.syncPool = syncPool;
    this.identity = new User("system:node:" + name, List.of("system:nodes", "system:authenticated"), null);
    this.events = new io.kafkube.agent.event.EventRecorder(name, new io.kafkube.agent.event.EventRecorder.Sink() {
      @Override
      public void create(String key, GenericRecord event) {
        sendEvent(Op.CREATE, key, event);
      }

      @Override
      public void update(String key, GenericRecord event) {
        sendEvent(Op.UPDATE, key, event);
      }
    }, timer, java.time.Clock.systemUTC(), Duration.ofSeconds(10));
    runtime.onChange(uid -> resync());
  }

  private void sendEvent(Op op, String key, GenericRecord event) {
    client.send(command(op, key, io.kafkube.agent.event.EventRecorder.EVENTS, event).build()).whenComplete((r, e) -> {
      if (e != null || (!r.success() && r.code() != 404)) {
        LOG.debug("[agent {}] event {} not written: {}", name, key, e != null ? e.toString() : r.message());
      }
    });
  }

  @Override
  public io.kafkube.agent.event.EventRecorder events() {
    return events;
  }

  private volatile io.kafkube.agent.volume.TokenSource tokens = PodWorker.Node.super.tokens();

  /** Where this node's projected volumes get ServiceAccount tokens (the API, once the agent knows it). */
  void tokens(io.kafkube.agent.volume.TokenSource source) {
    this.tokens = source;
  }

  @Override
  public io.kafkube.agent.volume.TokenSource tokens() {
    return tokens;
  }

  /** What the runtime cannot enforce, said on the Node as kubelet's warnings are (not silently). */
  private void reportIsolation() {
    ContainerRuntime.Isolation iso = runtime.isolation();
    if (!runtime.name().equals("process")) {
      return;
    }
    var node = io.kafkube.agent.event.EventRecorder.Involved.node(name, nodeUid);
    if (!iso.cgroups()) {
      events.warning(node, "ResourceLimitsNotEnforced", "resources.limits are not enforced: " + iso.cgroupInfo());
    }
    if (!iso.mountNamespaces()) {
      events.warning(node, "VolumeMountsNotIsolated", iso.mountInfo());
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String hostIP() {
    return "127.0.0.1";
  }

  @Override
  public ContainerRuntime runtime() {
    return runtime;
  }

  @Override
  public ConfigSource config() {
    return config;
  }

  @Override
  public Prober prober() {
    return prober;
  }

  @Override
  public Duration backoffInitial() {
    return cfg.backoffInitial();
  }

  @Override
  public Duration backoffMax() {
    return cfg.backoffMax();
  }

  public User identity() {
    return identity;
  }

  /** Where the agent's server listens (advertised in the Node's status); set before {@link #start}. */
  void kubeletPort(int port) {
    this.kubeletPort = port;
  }

  /** The pod {@code namespace/name} if it is assigned here: its uid, its containers and the runtime. */
  public Optional<PodDirectory.Target> pod(String namespace, String podName) {
    for (PodWorker w : workers.values()) {
      JsonNode p = KubeJson.toJson(w.record());
      JsonNode meta = p.path("metadata");
      if (meta.path("namespace").asText().equals(namespace) && meta.path("name").asText().equals(podName)) {
        List<String> names = new java.util.ArrayList<>();
        p.path("spec").path("initContainers").forEach(c -> names.add(c.path("name").asText()));
        p.path("spec").path("containers").forEach(c -> names.add(c.path("name").asText()));
        return Optional.of(new PodDirectory.Target(w.uid(), names, runtime));
      }
    }
    return Optional.empty();
  }

  // ---- registration and lease ------------------------------------------------------------------

  /** Registers the Node (or refreshes its status when it exists) and starts the lease and resync timers. */
  CompletableFuture<Void> start(Duration initialDelay) {
    CompletableFuture<Void> registered = registerNode();
    registered.whenComplete((v, e) -> {
      if (e != null) {
        LOG.warn("[agent {}] node registration failed: {}", name, e.toString());
      } else {
        reportIsolation();
      }
      long renew = cfg.leaseRenewInterval().toMillis();
      leaseTask = timer.scheduleWithFixedDelay(this::heartbeat, initialDelay.toMillis(), renew, TimeUnit.MILLISECONDS);
    });
    resyncTask = timer.scheduleWithFixedDelay(this::resync, cfg.syncPeriod().toMillis(), cfg.syncPeriod().toMillis(),
        TimeUnit.MILLISECONDS);
    return registered;
  }

  private GenericRecord nodeObject(Instant now) {
    NodeObjects.Machine m = machine.get();
    lastPressure = pressure(m);
    ObjectNode json = NodeObjects.node(name, podCidr, runtime.name(), m, now, nodeConditions, kubeletPort);
    ObjectNode conds = JsonNodeFactory.instance.objectNode();
    json.path("status").path("conditions").forEach(c -> conds.set(c.path("type").asText(), c));
    nodeConditions = conds;
    return convert(json, KafkubeSchemas.kind(NODES));
  }

  private CompletableFuture<Void> registerNode() {
    Instant now = Instant.now();
    GenericRecord node = nodeObject(now);
    String key = NODES.key(null, name).toString();
    return client.send(command(Op.CREATE, key, NODES, node).build()).thenCompose(r -> {
      if (r.code() == 201) {
        LOG.debug("[agent {}] registered node", name);
        nodeUid = Meta.uid(r.object());
        lastNodeStatus = now;
        return CompletableFuture.completedFuture(null);
      }
      if (r.code() != 409) {
        throw new IllegalStateException("cannot register node " + name + ": " + r.code() + " " + r.message());
      }
      return postNodeStatus(now);
    });
  }

  private CompletableFuture<Void> postNodeStatus(Instant now) {
    GenericRecord node = nodeObject(now);
    String key = NODES.key(null, name).toString();
    return client.send(command(Op.UPDATE_STATUS, key, NODES, node).build()).thenAccept(r -> {
      if (r.success()) {
        nodeUid = Meta.uid(r.object());
        lastNodeStatus = now;
      } else if (r.code() == 404) {
        registerNode();
      } else {
        LOG.warn("[agent {}] node status refused: {} {}", name, r.code(), r.message());
      }
    });
  }

  /** Every lease period: renew the Lease; every report period: post the node status. */
  private void heartbeat() {
    if (closed) {
      return;
    }
    try {
      Instant now = Instant.now();
      renewLease(now);
      // kubelet posts the node status when a condition changes, else every report period
      if (Duration.between(lastNodeStatus, now).compareTo(cfg.nodeStatusReportPeriod()) >= 0
          || !pressure(machine.get()).equals(lastPressure)) {
        postNodeStatus(now);
      }
    } catch (RuntimeException e) {
      LOG.warn("[agent {}] heartbeat failed", name, e);
    }
  }

  private static String pressure(NodeObjects.Machine m) {
    return m.memoryPressure() + "/" + m.diskPressure() + "/" + m.pidPressure();
  }

  CompletableFuture<ReplyView> renewLease(Instant now) {
    GenericRecord lease = convert(NodeObjects.lease(name, nodeUid, cfg.leaseDuration().toSeconds(), now),
        KafkubeSchemas.kind(LEASES));
    String key = LEASES.key(NodeObjects.LEASE_NAMESPACE, name).toString();
    Op op = leaseExists ? Op.UPDATE : Op.CREATE;
    return client.send(command(op, key, LEASES, lease).build()).thenCompose(r -> {
      if (r.success()) {
        leaseExists = true;
        return CompletableFuture.completedFuture(r);
      }
      if ((op == Op.CREATE && r.code() == 409) || (op == Op.UPDATE && r.code() == 404)) {
        leaseExists = op == Op.CREATE;
        return client.send(command(leaseExists ? Op.UPDATE : Op.CREATE, key, LEASES,
            convert(NodeObjects.lease(name, nodeUid, cfg.leaseDuration().toSeconds(), now),
                KafkubeSchemas.kind(LEASES))).build()).whenComplete((r2, e) -> leaseExists = r2 != null && r2.success());
      }
      LOG.warn("[agent {}] lease renewal refused: {} {}", name, r.code(), r.message());
      return CompletableFuture.completedFuture(r);
    });
  }

  // ---- assignments -----------------------------------------------------------------------------

  /** A pod was bound to this node, changed, or left it (null). Any thread. */
  void onAssignment(String podKey, GenericRecord pod) {
    incoming.put(podKey, Optional.ofNullable(pod));
    if (synced) {
      resync();
    }
  }

  /** The initial content of the partition has been read: reconcile, adopting or removing what runs. */
  void onSynced() {
    synced = true;
    resync();
  }

  public boolean synced() {
    return synced;
  }

  @Override
  public void resync() {
    if (closed || !synced) {
      return;
    }
    if (queued.compareAndSet(false, true)) {
      try {
        syncPool.execute(this::runSync);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        queued.set(false);
      }
    }
  }

  private void runSync() {
    queued.set(false);
    synchronized (syncLock) {
      if (closed) {
        return;
      }
      try {
        syncAll(Instant.now());
      } catch (RuntimeException e) {
        LOG.warn("[agent {}] sync failed", name, e);
      }
    }
  }

  private void syncAll(Instant now) {
    for (String k : Set.copyOf(incoming.keySet())) {
      Optional<GenericRecord> v = incoming.remove(k);
      if (v == null) {
        continue;
      }
      PodWorker w = workers.get(k);
      if (v.isEmpty()) {
        if (w != null) {
          workers.remove(k);
          w.close();
          events.forget(w.uid());
          orphan(w.uid(), w.grace());
        }
      } else if (w == null || !w.uid().equals(Meta.uid(v.get()))) {
        if (w != null) {
          w.close();
          orphan(w.uid(), w.grace());
        }
        workers.put(k, new PodWorker(k, v.get(), this));
      } else {
        w.update(v.get());
      }
    }
    Set<String> wanted = new HashSet<>();
    for (PodWorker w : workers.values()) {
      wanted.add(w.uid());
      if (w.deleteSent()) {
        if (Duration.between(w.deleteSentAt(), now).getSeconds() >= 30) {
          w.markDeleteSent(now);
          delete(w); // the pod is still assigned here: the last DELETE did not take
        }
        continue;
      }
      PodWorker.Result r;
      try {
        r = w.sync(now);
      } catch (RuntimeException e) {
        LOG.warn("[agent {}] sync of {} failed", name, w.key, e);
        continue;
      }
      if (r.status() != null) {
        publish(w, r.status());
      }
      if (r.readyForDelete()) {
        w.markDeleteSent(now);
        delete(w);
      }
    }
    for (String uid : runtime.pods()) {
      if (!wanted.contains(uid)) {
        orphan(uid, Duration.ofSeconds(2));
      }
    }
  }

  /** A pod the node no longer has: stop its containers with grace, then remove its sandbox. */
  private void orphan(String uid, Duration grace) {
    if (!orphansStopping.add(uid)) {
      return;
    }
    List<ContainerInstance> cs = runtime.containers(uid);
    Set<String> names = new HashSet<>();
    cs.forEach(c -> names.add(c.name()));
    LOG.info("[agent {}] pod {} is no longer assigned here: stopping {} container(s)", name, uid, names.size());
    CompletableFuture<?>[] stops = names.stream().map(n -> runtime.stop(uid, n, grace)).toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(stops).whenComplete((v, e) -> {
      runtime.removePod(uid);
      orphansStopping.remove(uid);
    });
  }

  // ---- status ----------------------------------------------------------------------------------

  private void publish(PodWorker w, ObjectNode status) {
    if (status.equals(w.lastSent)) {
      return;
    }
    GenericRecord current = w.record();
    if (w.lastSent == null) {
      GenericRecord st = AvroPaths.record(current, "status");
      if (st != null && status.equals(KubeJson.toJson(st))) {
        w.lastSent = status;
        return;
      }
    }
    GenericRecord pod = AvroPaths.copy(current);
    pod.put("status", convert(status, POD_STATUS));
    Meta.set(pod, "resourceVersion", null);
    w.lastSent = status;
    client.send(command(Op.UPDATE_STATUS, w.key, PODS, pod).build()).whenComplete((r, e) -> {
      if (e != null) {
        LOG.warn("[agent {}] status of {} not written: {}", name, w.key, e.toString());
        w.lastSent = null;
      } else if (!r.success() && r.code() != 404 && r.code() != 409) {
        LOG.warn("[agent {}] status of {} refused: {} {}", name, w.key, r.code(), r.message());
      }
    });
  }

  /** The final step of a deleted pod: kubelet's DELETE with grace 0 and the pod's uid as precondition. */
  private void delete(PodWorker w) {
    LOG.info("[agent {}] containers of {} stopped: removing the pod", name, w.key);
    GenericRecord cmd = command(Op.DELETE, w.key, PODS, null).gracePeriodSeconds(0L).preconditions(w.uid(), null)
        .build();
    client.send(cmd).whenComplete((r, e) -> {
      if (e != null || (!r.success() && r.code() != 404)) {
        LOG.warn("[agent {}] delete of {} failed: {}", name, w.key, e != null ? e.toString() : r.message());
      }
    });
  }

  private Envelopes.CommandBuilder command(Op op, String key, ResourceType type, GenericRecord obj) {
    Envelopes.CommandBuilder b = Envelopes.command(op, key, type.groupResource(), identity, client.newRequestId())
        .replyPartition(client.replyPartition());
    if (obj != null) {
      b.object(obj);
    }
    return b;
  }

  static GenericRecord convert(JsonNode json, Schema schema) {
    Conversion c = KubeJson.toAvro(json, schema);
    if (!c.clean()) {
      LOG.warn("conversion to {} reported {}", schema.getName(), c.problems());
    }
    return c.record();
  }

  // ---- inspection and shutdown -----------------------------------------------------------------

  /** The pod keys this node runs. */
  public Set<String> podKeys() {
    return Set.copyOf(workers.keySet());
  }

  public String nodeUid() {
    return nodeUid;
  }

  void close(boolean stopContainers) {
    closed = true;
    if (leaseTask != null) {
      leaseTask.cancel(false);
    }
    if (resyncTask != null) {
      resyncTask.cancel(false);
    }
    synchronized (syncLock) {
      workers.values().forEach(PodWorker::close);
    }
    if (stopContainers) {
      runtime.stopAll(Duration.ofSeconds(10));
    } else {
      runtime.close();
    }
  }
}
