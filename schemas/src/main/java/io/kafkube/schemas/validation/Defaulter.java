package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.child;
import static io.kafkube.schemas.validation.Rec.rec;

import io.kafkube.schemas.resource.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;

/**
 * The defaults Kubernetes 1.32 fills into objects (what {@code kubectl get -o yaml} shows that the
 * user did not write). {@link #applyDefaults} mutates in place, sets only absent values (null, or
 * "" for strings; 0 for the few Go non-pointer ints Kubernetes defaults, such as probe periods),
 * and is idempotent. Thread-safe (no shared state); the caller owns the record.
 */
public final class Defaulter {
  private Defaulter() {}

  /** Applies the defaults of {@code type} to {@code obj}; run on every write, before validation. */
  public static void applyDefaults(ResourceType type, GenericRecord obj) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(obj, "obj");
    switch (type.kind()) {
      case "Pod" -> PodDefaults.applyPod(obj);
      case "Deployment" -> WorkloadDefaults.deployment(child(obj, "spec"));
      case "ReplicaSet" -> WorkloadDefaults.replicaSet(child(obj, "spec"));
      case "StatefulSet" -> WorkloadDefaults.statefulSet(child(obj, "spec"));
      case "DaemonSet" -> WorkloadDefaults.daemonSet(child(obj, "spec"));
      case "Job" -> WorkloadDefaults.job(obj);
      case "CronJob" -> WorkloadDefaults.cronJob(child(obj, "spec"));
      case "Service" -> OtherDefaults.service(child(obj, "spec"));
      case "Secret" -> OtherDefaults.secret(obj);
      case "Namespace" -> OtherDefaults.namespace(obj);
      case "PersistentVolumeClaim" -> OtherDefaults.claim(obj);
      case "PersistentVolume" -> OtherDefaults.persistentVolume(obj);
      case "Node" -> OtherDefaults.node(obj);
      case "PriorityClass" -> OtherDefaults.priorityClass(obj);
      case "StorageClass" -> OtherDefaults.storageClass(obj);
      case "EndpointSlice" -> OtherDefaults.endpointSlice(obj);
      case "Endpoints" -> OtherDefaults.endpoints(obj);
      case "RoleBinding", "ClusterRoleBinding" -> OtherDefaults.binding(obj);
      default -> { } // no defaults (Ingress pathType is required, not defaulted)
    }
  }

  /**
   * What Kubernetes' registry does once, on create, before validation (not on later writes, so
   * controllers can undo it): a Namespace gets the {@code kubernetes} finalizer; a Job without
   * {@code manualSelector: true} gets its selector and template labels generated from its uid
   * (which must be set).
   */
  public static void prepareForCreate(ResourceType type, GenericRecord obj) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(obj, "obj");
    switch (type.kind()) {
      case "Namespace" -> {
        GenericRecord spec = child(obj, "spec");
        List<String> finalizers = new java.util.ArrayList<>(Rec.strings(spec, "finalizers"));
        if (!finalizers.contains("kubernetes")) {
          finalizers.add("kubernetes");
          spec.put("finalizers", finalizers);
        }
      }
      case "Job" -> generateJobSelector(obj);
      case "Pod" -> {
        // as kube-apiserver: a new pod's status is Pending with its QoS class, whatever the client sent
        obj.put("status", null);
        GenericRecord status = child(obj, "status");
        status.put("phase", "Pending");
        status.put("qosClass", qosClass(rec(obj, "spec")));
      }
      default -> { }
    }
  }

  /**
   * Kubernetes' QoS class of a pod: BestEffort without any request or limit; Guaranteed when every
   * container limits cpu and memory and requests (defaulting to the limits) equal them; else Burstable.
   */
  static String qosClass(GenericRecord spec) {
    boolean any = false;
    boolean guaranteed = true;
    for (String list : List.of("initContainers", "containers")) {
      for (GenericRecord c : Rec.records(spec, list)) {
        GenericRecord resources = rec(c, "resources");
        Map<String, String> requests = Rec.stringMap(resources, "requests");
        Map<String, String> limits = Rec.stringMap(resources, "limits");
        requests = requests == null ? Map.of() : requests;
        limits = limits == null ? Map.of() : limits;
        any |= !requests.isEmpty() || !limits.isEmpty();
        for (String r : List.of("cpu", "memory")) {
          String limit = limits.get(r);
          String request = requests.getOrDefault(r, limit);
          if (limit == null || !sameQuantity(limit, request)) {
            guaranteed = false;
          }
        }
      }
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
  }

  private static boolean sameQuantity(String a, String b) {
    try {
      return Quantity.parse(a).equals(Quantity.parse(b));
    } catch (RuntimeException e) {
      return false; // an invalid quantity is refused by validation, with the field named
    }
  }

  private static void generateJobSelector(GenericRecord job) {
    GenericRecord spec = rec(job, "spec");
    String uid = Rec.s(rec(job, "metadata"), "uid");
    String name = Rec.s(rec(job, "metadata"), "name");
    if (spec == null || uid.isEmpty() || Rec.isTrue(spec, "manualSelector")) {
      return;
    }
    GenericRecord tmeta = child(child(spec, "template"), "metadata");
    Map<String, String> labels = Rec.stringMap(tmeta, "labels");
    Map<String, String> updated = labels == null ? new LinkedHashMap<>() : new LinkedHashMap<>(labels);
    updated.putIfAbsent("job-name", name);
    updated.putIfAbsent("batch.kubernetes.io/job-name", name);
    updated.putIfAbsent("controller-uid", uid);
    updated.putIfAbsent("batch.kubernetes.io/controller-uid", uid);
    tmeta.put("labels", updated);
    GenericRecord selector = child(spec, "selector");
    Map<String, String> matchLabels = Rec.stringMap(selector, "matchLabels");
    Map<String, String> ml = matchLabels == null ? new LinkedHashMap<>() : new LinkedHashMap<>(matchLabels);
    ml.putIfAbsent("batch.kubernetes.io/controller-uid", uid);
    selector.put("matchLabels", ml);
  }
}
