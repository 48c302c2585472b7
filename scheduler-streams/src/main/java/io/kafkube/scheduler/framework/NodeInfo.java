package io.kafkube.scheduler.framework;

import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;

/**
 * A node as the scheduler sees it: what it offers (read from the Node record) and what is already
 * claimed on it by pods bound to it or assumed onto it (kept by the cluster cache).
 */
public final class NodeInfo {
  private final String name;
  private final Map<String, String> labels;
  private final Resources allocatable;
  private final List<Taint> taints;
  private final boolean unschedulable;
  private final boolean ready;
  private Resources requested = Resources.NONE;
  // Copies of the amounts every cycle's fit check and scores read, kept in this object so that a scan
  // over thousands of nodes touches one object per node rather than three.
  private final long allocatableCpu;
  private final long allocatableMemory;
  private final long allocatablePods;
  private long requestedCpu;
  private long requestedMemory;
  private int podCount;
  /** The pods known by their info (bound or assumed); those counted by requests alone are not listed. */
  private final List<PodInfo> pods = new ArrayList<>();
  private int podsWithRequiredAntiAffinity;
  private int podsWithAffinity;
  /** Bumped whenever the pods on this node change: what a memo of {@link #pods} was computed at. */
  private long generation;
  /** Counts derived from {@link #pods}, by what they count, valid while the generation holds. */
  private java.util.HashMap<Object, long[]> memo;

  public NodeInfo(String name, Map<String, String> labels, Resources allocatable, List<Taint> taints,
      boolean unschedulable, boolean ready) {
    this.name = Objects.requireNonNull(name, "name");
    this.labels = Map.copyOf(labels);
    this.allocatable = allocatable;
    this.allocatableCpu = allocatable.cpu();
    this.allocatableMemory = allocatable.memory();
    this.allocatablePods = allocatable.pods();
    this.taints = List.copyOf(taints);
    this.unschedulable = unschedulable;
    this.ready = ready;
  }

  /**
   * Reads a Node record. Allocatable falls back to capacity per resource. A node is not ready only
   * when it reports a {@code Ready} condition that is not {@code True} (a node without conditions,
   * e.g. created by hand, is taken as ready).
   */
  public static NodeInfo of(String name, GenericRecord node) {
    GenericRecord spec = AvroPaths.record(node, "spec");
    GenericRecord status = AvroPaths.record(node, "status");
    Resources allocatable = Resources.parse(Records.stringMap(status, "allocatable"))
        .orElse(Resources.parse(Records.stringMap(status, "capacity")));
    List<Taint> taints = new ArrayList<>();
    for (GenericRecord t : Records.records(spec, "taints")) {
      taints.add(Taint.of(t));
    }
    boolean ready = true;
    for (GenericRecord c : Records.records(status, "conditions")) {
      if ("Ready".equals(AvroPaths.string(c, "type"))) {
        ready = "True".equals(AvroPaths.string(c, "status"));
      }
    }
    Object unschedulable = spec == null ? null : spec.get("unschedulable");
    return new NodeInfo(name, Meta.labels(node), allocatable, taints, Boolean.TRUE.equals(unschedulable), ready);
  }

  public String name() {
    return name;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public Resources allocatable() {
    return allocatable;
  }

  public List<Taint> taints() {
    return taints;
  }

  public boolean unschedulable() {
    return unschedulable;
  }

  public boolean ready() {
    return ready;
  }

  /** The sum of the requests of the pods bound to or assumed on this node. */
  public Resources requested() {
    return requested;
  }

  /** {@code allocatable().cpu()}, read without leaving this object. */
  public long allocatableCpu() {
    return allocatableCpu;
  }

  /** {@code allocatable().memory()}, read without leaving this object. */
  public long allocatableMemory() {
    return allocatableMemory;
  }

  /** {@code allocatable().pods()}, read without leaving this object. */
  public long allocatablePods() {
    return allocatablePods;
  }

  /** {@code requested().cpu()}, read without leaving this object. */
  public long requestedCpu() {
    return requestedCpu;
  }

  /** {@code requested().memory()}, read without leaving this object. */
  public long requestedMemory() {
    return requestedMemory;
  }

  /** How many pods are bound to or assumed on this node. */
  public int podCount() {
    return podCount;
  }

  /** Counts a claim of a pod that is not otherwise described (tests, benchmarks). */
  public void addPod(Resources requests) {
    requested = requested.plus(requests);
    requestedCpu = requested.cpu();
    requestedMemory = requested.memory();
    podCount++;
    generation++;
  }

  public void removePod(Resources requests) {
    requested = requested.minus(requests);
    requestedCpu = requested.cpu();
    requestedMemory = requested.memory();
    podCount--;
    generation++;
  }

  /**
   * A count over this node's pods, remembered until they change: a cycle scans every node, and
   * between two cycles the pods of only one or two nodes change. {@code what} identifies the count
   * (equals/hashCode); {@code count} computes it.
   */
  public long memoCount(Object what, java.util.function.ToLongFunction<NodeInfo> count) {
    if (memo == null) {
      memo = new java.util.HashMap<>();
    }
    long[] m = memo.get(what);
    if (m != null && m[0] == generation) {
      return m[1];
    }
    long v = count.applyAsLong(this);
    if (m == null) {
      if (memo.size() >= 64) {
        memo.clear(); // many different counts: keep the memo bounded
      }
      memo.put(what, new long[] {generation, v});
    } else {
      m[0] = generation;
      m[1] = v;
    }
    return v;
  }

  /** A pod bound to or assumed on this node: its claim, and the pod for affinity and spreading. */
  public void addPod(PodInfo pod) {
    addPod(pod.requests());
    pods.add(pod);
    if (!pod.podAffinity().requiredAnti().isEmpty()) {
      podsWithRequiredAntiAffinity++;
    }
    if (!pod.podAffinity().isEmpty()) {
      podsWithAffinity++;
    }
  }

  public void removePod(PodInfo pod) {
    for (int i = 0; i < pods.size(); i++) {
      if (pods.get(i).key().equals(pod.key())) {
        PodInfo p = pods.remove(i);
        removePod(p.requests());
        if (!p.podAffinity().requiredAnti().isEmpty()) {
          podsWithRequiredAntiAffinity--;
        }
        if (!p.podAffinity().isEmpty()) {
          podsWithAffinity--;
        }
        return;
      }
    }
  }

  /** The pods on this node (bound or assumed). */
  public List<PodInfo> pods() {
    return pods;
  }

  /** Whether a pod on this node has required pod anti-affinity terms. */
  public boolean hasPodsWithRequiredAntiAffinity() {
    return podsWithRequiredAntiAffinity > 0;
  }

  /** Whether a pod on this node has any pod affinity or anti-affinity term. */
  public boolean hasPodsWithAffinity() {
    return podsWithAffinity > 0;
  }

  /** This node's description with the claims of {@code other} carried over (a node update). */
  public NodeInfo withUsageOf(NodeInfo other) {
    NodeInfo n = new NodeInfo(name, labels, allocatable, taints, unschedulable, ready);
    n.requested = other.requested;
    n.requestedCpu = other.requestedCpu;
    n.requestedMemory = other.requestedMemory;
    n.podCount = other.podCount;
    n.pods.addAll(other.pods);
    n.podsWithRequiredAntiAffinity = other.podsWithRequiredAntiAffinity;
    n.podsWithAffinity = other.podsWithAffinity;
    return n;
  }

  /** A copy with the same claims, for what-if evaluation (preemption). */
  public NodeInfo copy() {
    return withUsageOf(this);
  }

  /** Whether what a scheduler decides on (labels, capacity, taints, cordon, readiness) differs. */
  public boolean sameSchedulingView(NodeInfo other) {
    return other != null && labels.equals(other.labels) && allocatable.equals(other.allocatable)
        && taints.equals(other.taints) && unschedulable == other.unschedulable && ready == other.ready;
  }

  @Override
  public String toString() {
    return name + requested + "/" + allocatable;
  }
}
