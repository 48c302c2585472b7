package io.kafkube.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.agent.env.ConfigException;
import io.kafkube.agent.env.ConfigSource;
import io.kafkube.agent.env.EnvResolver;
import io.kafkube.agent.cgroup.Limits;
import io.kafkube.agent.event.EventRecorder;
import io.kafkube.agent.lifecycle.Hooks;
import io.kafkube.agent.volume.PodVolumes;
import io.kafkube.agent.volume.TokenSource;
import io.kafkube.agent.volume.VolumeException;
import io.kafkube.agent.volume.VolumeMount;
import io.kafkube.agent.probe.Prober;
import io.kafkube.agent.runtime.ContainerInstance;
import io.kafkube.agent.runtime.ContainerRuntime;
import io.kafkube.agent.runtime.ImageException;
import io.kafkube.agent.runtime.PodRef;
import io.kafkube.agent.runtime.StartSpec;
import io.kafkube.agent.status.Backoff;
import io.kafkube.agent.status.ContainerView;
import io.kafkube.agent.status.PodStatusComputer;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.meta.Meta;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kubelet's pod worker for one pod: each {@link #sync} compares the pod's spec with what the runtime
 * runs and acts (init containers in order, then the containers; restarts by policy with back-off;
 * probes; a graceful stop when the pod is deleted), then computes the status to publish. Runs only on
 * its node's sync thread.
 */
final class PodWorker {
  private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);

  /** What a worker needs of its node. */
  interface Node {
    String name();

    String hostIP();

    ContainerRuntime runtime();

    ConfigSource config();

    Prober prober();

    Duration backoffInitial();

    Duration backoffMax();

    void resync();

    /** kubelet's event recorder for this node; null: no events (unit tests). */
    default EventRecorder events() {
      return null;
    }

    /** Where projected serviceAccountToken volumes get their tokens. */
    default TokenSource tokens() {
      return TokenSource.none("this node agent has no API server access to request ServiceAccount tokens");
    }
  }

  final String key;
  private final Node node;
  private GenericRecord record;
  private JsonNode pod;
  private PodRef ref;
  private final Backoff backoff;
  private final Map<String, String[]> waiting = new HashMap<>();
  private final Map<String, Prober.Probes> probes = new HashMap<>();
  private final Map<String, Integer> probedAttempt = new HashMap<>();
  private final Set<String> killing = new java.util.HashSet<>();
  private Instant startTime;
  private boolean stopping;
  private boolean deleteSent;
  private Instant deleteSentAt;
  private boolean deadlineExceeded;
  private boolean isolationReported;
  /** The volume warnings already made events (once per pod, not at every start or resync). */
  private final Set<String> volumeWarnings = new java.util.HashSet<>();
  JsonNode lastSent;

  PodWorker(String key, GenericRecord record, Node node) {
    this.key = key;
    this.node = node;
    this.backoff = new Backoff(node.backoffInitial(), node.backoffMax());
    update(record);
  }

  void update(GenericRecord r) {
    this.record = r;
    this.pod = KubeJson.toJson(r);
    JsonNode meta = pod.path("metadata");
    this.ref = new PodRef(meta.path("uid").asText(), meta.path("namespace").asText(), meta.path("name").asText(),
        Meta.annotations(r));
  }

  GenericRecord record() {
    return record;
  }

  String uid() {
    return ref.uid();
  }

  boolean deleteSent() {
    return deleteSent;
  }

  /** When the final DELETE was sent (it is sent again if the pod is still there 30 s later). */
  Instant deleteSentAt() {
    return deleteSentAt;
  }

  void markDeleteSent(Instant at) {
    deleteSent = true;
    deleteSentAt = at;
  }

  /** The grace period a stop of this pod gets: the deletion's, else the spec's (30 s by default). */
  Duration grace() {
    JsonNode dg = pod.path("metadata").path("deletionGracePeriodSeconds");
    long s = dg.isNumber() ? dg.asLong() : pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    return Duration.ofSeconds(Math.max(0, s));
  }

  /** The outcome of a sync: the status to publish, and whether the pod may now be removed from the store. */
  record Result(ObjectNode status, boolean readyForDelete) {}

  Result sync(Instant now) {
    JsonNode spec = pod.path("spec");
    JsonNode oldStatus = lastSent != null ? lastSent : pod.path("status");
    boolean deleting = pod.path("metadata").hasNonNull("deletionTimestamp");
    String phase = oldStatus.path("phase").asText("");
    boolean terminalPhase = phase.equals("Succeeded") || phase.equals("Failed");
    if (startTime == null) {
      startTime = oldStatus.hasNonNull("startTime") ? Instant.parse(oldStatus.get("startTime").asText()) : now;
    }
    ContainerRuntime rt = node.runtime();
    String podIP = rt.sandbox(ref);
    Map<String, ContainerInstance[]> inst = instances();

    if (!deleting && !terminalPhase && !deadlineExceeded && spec.has("activeDeadlineSeconds")
        && Duration.between(startTime, now).getSeconds() >= spec.path("activeDeadlineSeconds").asLong()) {
      LOG.info("[agent {}] {} exceeded its activeDeadlineSeconds: stopping it", node.name(), ref.display());
      deadlineExceeded = true;
    }
    Map<String, ContainerView> views = new LinkedHashMap<>();
    if (terminalPhase && inst.isEmpty()) {
      // a finished pod whose containers are gone (e.g. the agent's data was lost): keep its last status
      return new Result(oldStatus.deepCopy() instanceof ObjectNode o ? o : null, deleting);
    }
    if (deleting || terminalPhase || deadlineExceeded) {
      boolean anyRunning = false;
      for (Map.Entry<String, ContainerInstance[]> e : inst.entrySet()) {
        ContainerInstance cur = e.getValue()[0];
        if (cur != null && !cur.exited()) {
          anyRunning = true;
          if (!stopping || !killing.contains(e.getKey())) {
            killing.add(e.getKey());
            cancelProbes(e.getKey());
            kill(e.getKey(), "Stopping container " + e.getKey());
          }
        }
      }
      stopping = true;
      for (JsonNode c : allContainers(spec)) {
        String n = c.path("name").asText();
        ContainerInstance[] ci = inst.getOrDefault(n, new ContainerInstance[2]);
        String[] w = ci[0] == null ? waiting.get(n) : null;
        views.put(n, new ContainerView(n, c.path("image").asText(), ci[0], ci[1], w == null ? null : w[0],
            w == null ? null : w[1], false, false));
      }
      ObjectNode status = PodStatusComputer.compute(new PodStatusComputer.Input(spec, oldStatus, views, podIP,
          node.hostIP(), startTime, (deleting || deadlineExceeded) && !anyRunning, now));
      if (deadlineExceeded) {
        // kubelet: the pod fails at once, its containers are killed
        status.put("phase", "Failed");
        status.put("reason", "DeadlineExceeded");
        status.put("message", "Pod was active on the node longer than the specified deadline");
      }
      return new Result(status, deleting && !anyRunning);
    }

    refreshVolumes(inst, podIP);
    String policy = spec.path("restartPolicy").asText("Always");
    // Init containers, in order: each must succeed before the next starts.
    boolean initDone = true;
    for (JsonNode c : spec.path("initContainers")) {
      String n = c.path("name").asText();
      ContainerInstance[] ci = inst.getOrDefault(n, new ContainerInstance[2]);
      ContainerInstance cur = ci[0];
      if (cur != null && cur.exited() && cur.exitCode() == 0) {
        views.put(n, view(c, ci, false, false));
        continue;
      }
      initDone = false;
      if (cur == null) {
        start(c, 0, podIP, inst);
      } else if (cur.exited()) {
        if (!policy.equals("Never")) {
          restart(c, cur, podIP, now, inst);
        }
      }
      views.put(n, view(c, inst.getOrDefault(n, ci), false, false));
      break;
    }
    for (JsonNode c : spec.path("initContainers")) {
      String n = c.path("name").asText();
      views.computeIfAbsent(n, k -> ContainerView.notStarted(n, c.path("image").asText(), "PodInitializing", null));
    }

    for (JsonNode c : spec.path("containers")) {
      String n = c.path("name").asText();
      if (!initDone) {
        views.put(n, ContainerView.notStarted(n, c.path("image").asText(), "PodInitializing", null));
        continue;
      }
      ContainerInstance[] ci = inst.getOrDefault(n, new ContainerInstance[2]);
      ContainerInstance cur = ci[0];
      if (cur == null) {
        start(c, 0, podIP, inst);
      } else if (cur.running()) {
        Prober.Probes p = probesFor(c, cur, podIP);
        if (p != null && p.restartWanted() && killing.add(n)) {
          LOG.info("[agent {}] {} of {}: {}", node.name(), n, ref.display(), p.restartReason());
          kill(n, "Container " + n + " " + p.restartReason().replaceFirst("^Container ", ""));
        }
      } else if (cur.exited()) {
        killing.remove(n);
        cancelProbes(n);
        boolean restart = policy.equals("Always") || (policy.equals("OnFailure") && cur.exitCode() != 0);
        if (restart) {
          restart(c, cur, podIP, now, inst);
        }
      }
      ContainerInstance[] after = inst.getOrDefault(n, ci);
      Prober.Probes p = after[0] != null && after[0].running() ? probesFor(c, after[0], podIP) : null;
      views.put(n, view(c, after, p == null || p.ready(), p == null || p.started()));
    }
    ObjectNode status = PodStatusComputer.compute(new PodStatusComputer.Input(spec, oldStatus, views, podIP,
        node.hostIP(), startTime, false, now));
    if (status.path("phase").asText().equals("Succeeded") || status.path("phase").asText().equals("Failed")) {
      probes.keySet().forEach(this::cancelProbesQuietly);
    }
    return new Result(status, false);
  }

  private ContainerView view(JsonNode c, ContainerInstance[] ci, boolean ready, boolean started) {
    String n = c.path("name").asText();
    String[] w = waiting.get(n);
    return new ContainerView(n, c.path("image").asText(), ci[0], ci[1], w == null ? null : w[0],
        w == null ? null : w[1], ready, started);
  }

  /** A restart of an exited container, unless it is in back-off (then it waits in CrashLoopBackOff). */
  private void restart(JsonNode c, ContainerInstance cur, String podIP, Instant now,
      Map<String, ContainerInstance[]> inst) {
    String n = c.path("name").asText();
    Instant finished = cur.finishedAt() == null ? now : cur.finishedAt();
    if (backoff.isInBackOffSince(n, finished, now)) {
      waiting.put(n, new String[] {"CrashLoopBackOff", "back-off " + goDuration(backoff.get(n))
          + " restarting failed container=" + n + " pod=" + ref.display()});
      event(c, "Warning", "BackOff", "Back-off restarting failed container " + n + " in pod " + ref.display());
      return;
    }
    backoff.next(n, finished);
    start(c, cur.attempt() + 1, podIP, inst);
  }

  /** Pulls, resolves the environment and starts; failures leave the container waiting with kubelet's reason. */
  private void start(JsonNode c, int attempt, String podIP, Map<String, ContainerInstance[]> inst) {
    String n = c.path("name").asText();
    String image = c.path("image").asText();
    Instant now = Instant.now();
    String imageKey = "image/" + n;
    String[] w = waiting.get(n);
    if (w != null && (w[0].equals("ErrImagePull") || w[0].equals("ImagePullBackOff"))
        && backoff.isInBackOffSince(imageKey, Instant.parse(w[2]), now)) {
      waiting.put(n, new String[] {"ImagePullBackOff", "Back-off pulling image \"" + image + "\"", w[2]});
      event(c, "Normal", "BackOff", "Back-off pulling image \"" + image + "\"");
      event(c, "Warning", "Failed", "Error: ImagePullBackOff");
      return;
    }
    try {
      node.runtime().pullImage(image);
      backoff.reset(imageKey);
    } catch (ImageException e) {
      backoff.next(imageKey, now);
      waiting.put(n, new String[] {"ErrImagePull", e.getMessage(), now.toString()});
      event(c, "Warning", "Failed", "Failed to pull image \"" + image + "\": " + e.getMessage());
      event(c, "Warning", "Failed", "Error: ErrImagePull");
      return;
    }
    List<VolumeMount> mounts;
    try {
      mounts = mounts(c, podIP);
    } catch (VolumeException e) {
      // kubelet: the pod waits in ContainerCreating and reports FailedMount until the volume can be set up
      waiting.put(n, new String[] {"ContainerCreating", e.getMessage()});
      podEvent("Warning", "FailedMount", e.getMessage());
      return;
    }
    Map<String, String> env;
    try {
      env = EnvResolver.resolve(pod, c, podIP, node.hostIP(), node.config());
    } catch (ConfigException e) {
      waiting.put(n, new String[] {"CreateContainerConfigError", e.getMessage()});
      event(c, "Warning", "Failed", "Error: " + e.getMessage());
      return;
    }
    Limits limits;
    try {
      limits = Limits.of(c);
    } catch (RuntimeException e) {
      waiting.put(n, new String[] {"CreateContainerConfigError", "invalid resources.limits: " + e.getMessage()});
      return;
    }
    event(c, "Normal", "Pulled", "Container image \"" + image + "\" already present on machine");
    List<String> command = new ArrayList<>();
    c.path("command").forEach(x -> command.add(x.asText()));
    List<String> args = new ArrayList<>();
    c.path("args").forEach(x -> args.add(x.asText()));
    String wd = c.hasNonNull("workingDir") ? c.get("workingDir").asText() : null;
    StartSpec s = new StartSpec(n, attempt, image, EnvResolver.expandAll(command, env), EnvResolver.expandAll(args, env),
        env, wd, mounts, limits);
    reportIsolation(mounts, limits);
    ContainerInstance started = node.runtime().start(ref, s);
    waiting.remove(n);
    if (started.exited() && "StartError".equals(started.reason())) {
      event(c, "Warning", "Failed", "Error: " + started.message());
    } else if (started.attempt() == attempt) {
      event(c, "Normal", "Created", "Created container " + n);
      event(c, "Normal", "Started", "Started container " + n);
      if (started.running()) {
        Hooks.postStart(c, node.prober().runner(node.runtime(), ref.uid(), n, c, podIP), grace(), msg -> {
          event(c, "Warning", "FailedPostStartHook", msg);
          if (killing.add(n)) {
            kill(n, "FailedPostStartHook");
          }
        });
      }
    }
    ContainerInstance[] before = inst.getOrDefault(n, new ContainerInstance[2]);
    inst.put(n, started == before[0] ? before : new ContainerInstance[] {started, before[0]});
  }

  private Prober.Probes probesFor(JsonNode c, ContainerInstance cur, String podIP) {
    String n = c.path("name").asText();
    boolean hasProbes = c.has("livenessProbe") || c.has("readinessProbe") || c.has("startupProbe");
    if (!hasProbes) {
      return null;
    }
    Integer attempt = probedAttempt.get(n);
    if (attempt == null || attempt != cur.attempt()) {
      cancelProbes(n);
      Prober prober = node.prober();
      probes.put(n, prober.start(c, prober.runner(node.runtime(), ref.uid(), n, c, podIP), node::resync,
          (kind, msg) -> event(c, "Warning", "Unhealthy", msg)));
      probedAttempt.put(n, cur.attempt());
    }
    return probes.get(n);
  }

  private void cancelProbes(String n) {
    Prober.Probes p = probes.remove(n);
    probedAttempt.remove(n);
    if (p != null) {
      p.cancel();
    }
  }

  private void cancelProbesQuietly(String n) {
    Prober.Probes p = probes.get(n);
    if (p != null) {
      p.cancel();
    }
  }

  /** Stops probing (the pod left the node). */
  void close() {
    new ArrayList<>(probes.keySet()).forEach(this::cancelProbes);
  }

  // ---- volumes, stops, events -------------------------------------------------------------

  /** The pod's volumes (set up or refreshed) and this container's mounts of them. */
  private List<VolumeMount> mounts(JsonNode c, String podIP) throws VolumeException {
    java.util.Optional<java.nio.file.Path> dir = node.runtime().volumesDir(ref.uid());
    if (dir.isEmpty() || !pod.path("spec").path("volumes").elements().hasNext()) {
      if (c.path("volumeMounts").elements().hasNext() && dir.isPresent()) {
        return PodVolumes.mounts(c, Map.of());
      }
      return List.of();
    }
    PodVolumes volumes = new PodVolumes(pod, dir.get(), node.config(), node.tokens(), podIP);
    Map<String, java.nio.file.Path> vols = volumes.prepare();
    reportVolumeWarnings(volumes);
    return PodVolumes.mounts(c, vols);
  }

  private void reportVolumeWarnings(PodVolumes volumes) {
    for (String w : volumes.warnings()) {
      if (volumeWarnings.add(w)) {
        LOG.warn("[agent {}] {}: {}", node.name(), ref.display(), w);
        podEvent("Warning", "FailedMount", w);
      }
    }
  }

  /** kubelet's periodic volume resync: ConfigMap, Secret and downward-API files follow their sources. */
  private void refreshVolumes(Map<String, ContainerInstance[]> inst, String podIP) {
    boolean anyRunning = inst.values().stream().anyMatch(i -> i[0] != null && i[0].running());
    java.util.Optional<java.nio.file.Path> dir = node.runtime().volumesDir(ref.uid());
    if (!anyRunning || dir.isEmpty() || !pod.path("spec").path("volumes").elements().hasNext()) {
      return;
    }
    try {
      PodVolumes volumes = new PodVolumes(pod, dir.get(), node.config(), node.tokens(), podIP);
      volumes.prepare();
      reportVolumeWarnings(volumes);
    } catch (VolumeException e) {
      podEvent("Warning", "FailedMount", e.getMessage());
    }
  }

  /** Says once per pod what this node cannot enforce of what the pod asks (no silent downgrade). */
  private void reportIsolation(List<VolumeMount> mounts, Limits limits) {
    if (isolationReported || !node.runtime().realNetwork()) {
      return; // the simulated runtime enforces nothing by design
    }
    ContainerRuntime.Isolation iso = node.runtime().isolation();
    if (!mounts.isEmpty() && !iso.mountNamespaces() && node.runtime().volumesDir(ref.uid()).isPresent()) {
      isolationReported = true;
      podEvent("Warning", "FailedMount", iso.mountInfo());
    }
    if (limits.any() && !iso.cgroups()) {
      isolationReported = true;
      podEvent("Warning", "ResourceLimitsNotEnforced", "resources.limits are not enforced on this node: "
          + iso.cgroupInfo());
    }
  }

  /** Stops a running container: preStop hook, SIGTERM, SIGKILL after the grace period. */
  private void kill(String n, String why) {
    JsonNode c = containerSpec(n);
    LOG.info("[agent {}] killing {} of {}: {}", node.name(), n, ref.display(), why);
    event(c, "Normal", "Killing", why);
    String podIP = node.runtime().sandbox(ref);
    Prober.ProbeRunner runner = c == null ? (h, t) -> true : node.prober().runner(node.runtime(), ref.uid(), n, c, podIP);
    Hooks.stop(node.runtime(), ref.uid(), n, c, runner, grace(),
        msg -> event(c, "Warning", "FailedPreStopHook", msg)).whenComplete((r, t) -> node.resync());
  }

  private JsonNode containerSpec(String n) {
    for (JsonNode c : allContainers(pod.path("spec"))) {
      if (c.path("name").asText().equals(n)) {
        return c;
      }
    }
    return null;
  }

  private EventRecorder.Involved involved() {
    return EventRecorder.Involved.pod(ref.namespace(), ref.name(), ref.uid());
  }

  private void podEvent(String type, String reason, String message) {
    EventRecorder ev = node.events();
    if (ev != null) {
      ev.event(involved(), type, reason, message);
    }
  }

  private void event(JsonNode c, String type, String reason, String message) {
    EventRecorder ev = node.events();
    if (ev == null) {
      return;
    }
    if (c == null) {
      ev.event(involved(), type, reason, message);
      return;
    }
    String n = c.path("name").asText();
    boolean init = false;
    for (JsonNode ic : pod.path("spec").path("initContainers")) {
      init |= ic.path("name").asText().equals(n);
    }
    ev.event(involved().container(n, init), type, reason, message);
  }

  /** Per container name: {latest, previous}. */
  private Map<String, ContainerInstance[]> instances() {
    Map<String, ContainerInstance[]> m = new HashMap<>();
    for (ContainerInstance i : node.runtime().containers(ref.uid())) {
      ContainerInstance[] pair = m.computeIfAbsent(i.name(), k -> new ContainerInstance[2]);
      if (pair[0] == null || i.attempt() > pair[0].attempt()) {
        pair[1] = pair[0];
        pair[0] = i;
      } else if (pair[1] == null || i.attempt() > pair[1].attempt()) {
        pair[1] = i;
      }
    }
    return m;
  }

  private static List<JsonNode> allContainers(JsonNode spec) {
    List<JsonNode> all = new ArrayList<>();
    spec.path("initContainers").forEach(all::add);
    spec.path("containers").forEach(all::add);
    return all;
  }

  /** Go's {@code time.Duration} string for whole seconds and minutes: {@code 10s}, {@code 2m40s}, {@code 5m0s}. */
  static String goDuration(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    return (s / 60) + "m" + (s % 60) + "s";
  }
}
