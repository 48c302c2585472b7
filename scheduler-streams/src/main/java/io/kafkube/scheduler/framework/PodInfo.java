package io.kafkube.scheduler.framework;

import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * What the scheduler needs of a pod, read once from its record.
 *
 * @param requests   what the pod claims on a node, as Kubernetes counts it: per resource the larger of
 *                   the containers' sum and the largest init container, plus the pod overhead; a
 *                   container's limit stands for its request when the request is absent
 * @param deadline   epoch ms by which it should run: creation + {@code activeDeadlineSeconds}, or the
 *                   {@value #DEADLINE_ANNOTATION} annotation (RFC 3339), the earlier of both;
 *                   {@link Long#MAX_VALUE} when it has none
 */
public record PodInfo(
    String key,
    String uid,
    String namespace,
    String name,
    String resourceVersion,
    String schedulerName,
    String nodeName,
    int priority,
    long creationTimestamp,
    long deadline,
    boolean deleting,
    boolean terminal,
    Resources requests,
    Map<String, String> nodeSelector,
    List<NodeSelectorTerm> requiredAffinity,
    List<WeightedTerm> preferredAffinity,
    List<Toleration> tolerations,
    Map<String, String> labels,
    PodAffinity podAffinity,
    List<SpreadConstraint> spreadConstraints,
    String priorityClassName,
    boolean preemptNever,
    String nominatedNodeName,
    List<String> claims,
    String scheduledConditionMessage,
    GenericRecord record) {

  public static final String DEFAULT_SCHEDULER = "default-scheduler";
  public static final String DEADLINE_ANNOTATION = "scheduling.kafkube.io/deadline";

  /** A preferred node affinity term with its weight (1-100). */
  public record WeightedTerm(int weight, NodeSelectorTerm term) {}

  /** The pod's inter-pod affinity and anti-affinity terms, required and preferred. */
  public record PodAffinity(List<PodAffinityTerm> required, List<PodAffinityTerm.Weighted> preferred,
      List<PodAffinityTerm> requiredAnti, List<PodAffinityTerm.Weighted> preferredAnti) {
    public static final PodAffinity NONE = new PodAffinity(List.of(), List.of(), List.of(), List.of());

    public PodAffinity {
      required = List.copyOf(required);
      preferred = List.copyOf(preferred);
      requiredAnti = List.copyOf(requiredAnti);
      preferredAnti = List.copyOf(preferredAnti);
    }

    public boolean isEmpty() {
      return required.isEmpty() && preferred.isEmpty() && requiredAnti.isEmpty() && preferredAnti.isEmpty();
    }
  }

  public PodInfo {
    nodeSelector = Map.copyOf(nodeSelector);
    requiredAffinity = List.copyOf(requiredAffinity);
    preferredAffinity = List.copyOf(preferredAffinity);
    tolerations = List.copyOf(tolerations);
    labels = Map.copyOf(labels);
    spreadConstraints = List.copyOf(spreadConstraints);
    claims = List.copyOf(claims);
  }

  public static PodInfo of(String key, GenericRecord pod) {
    GenericRecord spec = AvroPaths.record(pod, "spec");
    GenericRecord status = AvroPaths.record(pod, "status");
    Long created = Meta.creationTimestamp(pod);
    long creation = created == null ? 0L : created;
    Long prio = AvroPaths.longValue(spec, "priority");
    String phase = AvroPaths.string(status, "phase");

    GenericRecord nodeAffinity = AvroPaths.record(AvroPaths.record(spec, "affinity"), "nodeAffinity");
    List<NodeSelectorTerm> required = new ArrayList<>();
    for (GenericRecord t : Records.records(
        AvroPaths.record(nodeAffinity, "requiredDuringSchedulingIgnoredDuringExecution"), "nodeSelectorTerms")) {
      required.add(NodeSelectorTerm.of(t));
    }
    List<WeightedTerm> preferred = new ArrayList<>();
    for (GenericRecord p : Records.records(nodeAffinity, "preferredDuringSchedulingIgnoredDuringExecution")) {
      Long w = AvroPaths.longValue(p, "weight");
      GenericRecord term = AvroPaths.record(p, "preference");
      if (w != null && w > 0 && term != null) {
        preferred.add(new WeightedTerm(w.intValue(), NodeSelectorTerm.of(term)));
      }
    }
    List<Toleration> tolerations = new ArrayList<>();
    for (GenericRecord t : Records.records(spec, "tolerations")) {
      tolerations.add(Toleration.of(t));
    }
    String namespace = Meta.namespace(pod);
    Map<String, String> labels = Meta.labels(pod);
    GenericRecord affinity = AvroPaths.record(spec, "affinity");
    GenericRecord podAff = AvroPaths.record(affinity, "podAffinity");
    GenericRecord podAnti = AvroPaths.record(affinity, "podAntiAffinity");
    PodAffinity podAffinity = podAff == null && podAnti == null ? PodAffinity.NONE : new PodAffinity(
        terms(podAff, namespace, labels), weightedTerms(podAff, namespace, labels),
        terms(podAnti, namespace, labels), weightedTerms(podAnti, namespace, labels));
    List<SpreadConstraint> spread = new ArrayList<>();
    for (GenericRecord c : Records.records(spec, "topologySpreadConstraints")) {
      spread.add(SpreadConstraint.of(c, labels));
    }
    List<String> claims = new ArrayList<>();
    for (GenericRecord v : Records.records(spec, "volumes")) {
      String claim = AvroPaths.string(AvroPaths.record(v, "persistentVolumeClaim"), "claimName");
      if (claim != null && !claim.isEmpty()) {
        claims.add(claim);
      }
    }
    String message = null;
    for (GenericRecord c : Records.records(status, "conditions")) {
      if ("PodScheduled".equals(AvroPaths.string(c, "type")) && "False".equals(AvroPaths.string(c, "status"))) {
        message = AvroPaths.string(c, "message");
      }
    }
    return new PodInfo(key, Meta.uid(pod), namespace, Meta.name(pod), Meta.resourceVersion(pod),
        AvroPaths.string(spec, "schedulerName"), AvroPaths.string(spec, "nodeName"),
        prio == null ? 0 : prio.intValue(), creation, deadline(pod, spec, creation),
        Meta.deletionTimestamp(pod) != null, "Succeeded".equals(phase) || "Failed".equals(phase),
        requests(spec), Records.stringMap(spec, "nodeSelector"), required, preferred, tolerations, labels, podAffinity,
        spread, AvroPaths.string(spec, "priorityClassName"), "Never".equals(AvroPaths.string(spec, "preemptionPolicy")),
        AvroPaths.string(status, "nominatedNodeName"), claims, message, pod);
  }

  private static List<PodAffinityTerm> terms(GenericRecord affinity, String namespace, Map<String, String> labels) {
    List<PodAffinityTerm> out = new ArrayList<>();
    for (GenericRecord t : Records.records(affinity, "requiredDuringSchedulingIgnoredDuringExecution")) {
      out.add(PodAffinityTerm.of(t, namespace, labels));
    }
    return out;
  }

  private static List<PodAffinityTerm.Weighted> weightedTerms(GenericRecord affinity, String namespace,
      Map<String, String> labels) {
    List<PodAffinityTerm.Weighted> out = new ArrayList<>();
    for (GenericRecord w : Records.records(affinity, "preferredDuringSchedulingIgnoredDuringExecution")) {
      Long weight = AvroPaths.longValue(w, "weight");
      GenericRecord term = AvroPaths.record(w, "podAffinityTerm");
      if (weight != null && weight > 0 && term != null) {
        out.add(new PodAffinityTerm.Weighted(weight.intValue(), PodAffinityTerm.of(term, namespace, labels)));
      }
    }
    return out;
  }

  /** This pod with another priority (resolved from its PriorityClass). */
  public PodInfo withPriority(int p) {
    return p == priority ? this : new PodInfo(key, uid, namespace, name, resourceVersion, schedulerName, nodeName, p,
        creationTimestamp, deadline, deleting, terminal, requests, nodeSelector, requiredAffinity, preferredAffinity,
        tolerations, labels, podAffinity, spreadConstraints, priorityClassName, preemptNever, nominatedNodeName, claims,
        scheduledConditionMessage, record);
  }

  /** Whether any of the pod's own required pod affinity terms is about itself (all of them must be). */
  public boolean matchesAllOwnAffinityTerms() {
    if (podAffinity.required().isEmpty()) {
      return false;
    }
    for (PodAffinityTerm t : podAffinity.required()) {
      if (!t.matches(this)) {
        return false;
      }
    }
    return true;
  }

  /** Whether this scheduler is the one to place the pod. */
  public boolean isOurs() {
    return Records.isEmpty(schedulerName) || DEFAULT_SCHEDULER.equals(schedulerName);
  }

  public boolean isBound() {
    return !Records.isEmpty(nodeName);
  }

  /** Unbound, ours, alive: waiting for this scheduler. */
  public boolean needsScheduling() {
    return !isBound() && isOurs() && !deleting && !terminal;
  }

  static Resources requests(GenericRecord spec) {
    Resources containers = Resources.NONE;
    for (GenericRecord c : Records.records(spec, "containers")) {
      containers = containers.plus(containerRequests(c));
    }
    Resources init = Resources.NONE;
    for (GenericRecord c : Records.records(spec, "initContainers")) {
      init = init.max(containerRequests(c));
    }
    return containers.max(init).plus(Resources.parse(Records.stringMap(spec, "overhead")));
  }

  private static Resources containerRequests(GenericRecord container) {
    GenericRecord res = AvroPaths.record(container, "resources");
    return Resources.parse(Records.stringMap(res, "requests"))
        .orElse(Resources.parse(Records.stringMap(res, "limits")));
  }

  private static long deadline(GenericRecord pod, GenericRecord spec, long creation) {
    long deadline = Long.MAX_VALUE;
    Long active = AvroPaths.longValue(spec, "activeDeadlineSeconds");
    if (active != null && active > 0) {
      deadline = creation + active * 1000;
    }
    String annotation = Meta.annotations(pod).get(DEADLINE_ANNOTATION);
    if (annotation != null) {
      try {
        deadline = Math.min(deadline, Instant.parse(annotation).toEpochMilli());
      } catch (DateTimeParseException e) {
        // not a time: the annotation is ignored, as an unknown annotation would be
      }
    }
    return deadline;
  }
}
