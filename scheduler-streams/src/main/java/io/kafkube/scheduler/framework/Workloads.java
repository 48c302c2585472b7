package io.kafkube.scheduler.framework;

import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;

/**
 * The scheduler's view of what groups pods: the selectors of Services, ReplicaSets and StatefulSets, by
 * namespace, for the system default topology spread constraints (kube-scheduler's
 * {@code helper.DefaultSelector}). kafkube serves no ReplicationControllers, so no pod is owned by one.
 */
public final class Workloads {
  /** No workload known: no pod gets a default selector. */
  public static final Workloads NONE = new Workloads();

  /** The kinds whose selectors are kept. */
  public enum Kind { SERVICE, REPLICA_SET, STATEFUL_SET }

  /** Service selectors ({@code spec.selector}) by namespace, then name. */
  private final Map<String, Map<String, Map<String, String>>> services = new HashMap<>();
  /** Controller selectors by kind, then {@code namespace/name}. */
  private final Map<Kind, Map<String, LabelSelector>> controllers = new HashMap<>();

  /** Sets an object's selector; returns whether it changed (only selectors matter to scheduling). */
  public boolean put(Kind kind, GenericRecord obj) {
    String ns = Meta.namespace(obj) == null ? "default" : Meta.namespace(obj);
    String name = Meta.name(obj);
    GenericRecord spec = AvroPaths.record(obj, "spec");
    if (kind == Kind.SERVICE) {
      Map<String, String> selector = Map.copyOf(Records.stringMap(spec, "selector"));
      return !selector.equals(services.computeIfAbsent(ns, n -> new TreeMap<>()).put(name, selector));
    }
    LabelSelector selector = LabelSelector.of(AvroPaths.record(spec, "selector"));
    return !selector.equals(controllers.computeIfAbsent(kind, k -> new HashMap<>()).put(ns + "/" + name, selector));
  }

  /** Forgets an object; returns whether it was known. */
  public boolean remove(Kind kind, String namespace, String name) {
    if (kind == Kind.SERVICE) {
      Map<String, Map<String, String>> inNs = services.get(namespace);
      if (inNs == null || inNs.remove(name) == null) {
        return false;
      }
      if (inNs.isEmpty()) {
        services.remove(namespace);
      }
      return true;
    }
    Map<String, LabelSelector> byKey = controllers.get(kind);
    return byKey != null && byKey.remove(namespace + "/" + name) != null;
  }

  public void clear() {
    services.clear();
    controllers.clear();
  }

  /**
   * The selector of the pods the pod is grouped with (kube's {@code DefaultSelector}): the union of the
   * selectors of the Services of its namespace that select it (a Service without a selector selects
   * nothing), plus the requirements of the selector of its controlling ReplicaSet or StatefulSet.
   * Empty ({@link LabelSelector#isEmpty()}) when nothing groups the pod.
   */
  public LabelSelector defaultSelector(PodInfo pod) {
    String ns = pod.namespace() == null ? "default" : pod.namespace();
    Map<String, Map<String, String>> inNs = services.get(ns);
    Kind owner = controllers.isEmpty() ? null : controllerKind(pod.record());
    if (inNs == null && owner == null) {
      return LabelSelector.EVERYTHING; // nothing can group the pod (the common case of a cycle: no allocation)
    }
    Map<String, String> merged = new TreeMap<>();
    if (inNs != null) {
      for (Map<String, String> selector : inNs.values()) {
        if (!selector.isEmpty() && LabelSelector.of(selector).matches(pod.labels())) {
          merged.putAll(selector);
        }
      }
    }
    List<LabelSelector.Requirement> reqs = new ArrayList<>(LabelSelector.of(merged).requirements());
    if (owner != null) {
      Map<String, LabelSelector> byKey = controllers.getOrDefault(owner, Map.of());
      LabelSelector c = byKey.get(ns + "/" + controllerName(pod.record()));
      if (c != null && !c.matchesNothing()) {
        reqs.addAll(c.requirements());
      }
    }
    return new LabelSelector(reqs, false);
  }

  /** The kind of the pod's controller ({@code ownerReferences} with {@code controller: true}) if kept here. */
  static Kind controllerKind(GenericRecord pod) {
    GenericRecord ref = controllerRef(pod);
    if (ref == null) {
      return null;
    }
    String apiVersion = AvroPaths.string(ref, "apiVersion");
    String kind = AvroPaths.string(ref, "kind");
    if (!"apps/v1".equals(apiVersion)) {
      return null;
    }
    return switch (kind == null ? "" : kind) {
      case "ReplicaSet" -> Kind.REPLICA_SET;
      case "StatefulSet" -> Kind.STATEFUL_SET;
      default -> null;
    };
  }

  private static String controllerName(GenericRecord pod) {
    return AvroPaths.string(controllerRef(pod), "name");
  }

  private static GenericRecord controllerRef(GenericRecord pod) {
    for (GenericRecord ref : Records.records(Meta.metadata(pod), "ownerReferences")) {
      if (Boolean.TRUE.equals(ref.get("controller"))) {
        return ref;
      }
    }
    return null;
  }
}
