package io.kafkube.scheduler.framework;

import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.validation.Quantity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;

/**
 * The scheduler's view of PersistentVolumeClaims and PersistentVolumes, for data locality
 * (kube-scheduler's VolumeBinding): a pod whose claim is bound to a volume with node affinity (a
 * local volume) fits only the nodes that affinity selects; an unbound claim is bound together with
 * the pod to an available volume that matches it (class, size, access modes) and whose node affinity
 * selects the node, when the claim's StorageClass has {@code volumeBindingMode: WaitForFirstConsumer}
 * (delayed binding). Any other unbound claim (class {@code Immediate}, no class, a class not found:
 * kube's {@code IsDelayBindingMode}) is expected to be bound before the pod is scheduled: the pod
 * is unschedulable with {@value #UNBOUND_IMMEDIATE} until it is. Volumes chosen for a pod are held
 * ("assumed") until the claim is seen bound or the pod's binding is given up.
 */
public final class Volumes {
  public static final String NODE_CONFLICT = "node(s) had volume node affinity conflict";
  public static final String NO_VOLUME = "node(s) didn't find available persistent volumes to bind";
  /** kube-scheduler's VolumeBinding PreFilter reason for unbound claims of non-delayed classes. */
  public static final String UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";
  public static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";
  /** The legacy annotation that names a claim's class, ahead of {@code spec.storageClassName}. */
  static final String BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";
  public static final String MISSING_VOLUME = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";

  /** A claim: {@code ns/name} → what binding needs. */
  record Claim(String namespace, String name, String storageClass, String volumeName, long requestMilli,
      Set<String> accessModes, GenericRecord record) {}

  /** A volume by name. */
  record Volume(String name, String storageClass, long capacityMilli, Set<String> accessModes, String claimRef,
      List<NodeSelectorTerm> nodeAffinity, GenericRecord record) {
    boolean allows(NodeInfo node) {
      if (nodeAffinity.isEmpty()) {
        return true;
      }
      for (NodeSelectorTerm t : nodeAffinity) {
        if (t.matches(node)) {
          return true;
        }
      }
      return false;
    }
  }

  private final Map<String, Claim> claims = new HashMap<>();
  private final TreeMap<String, Volume> volumes = new TreeMap<>();
  /** Claim ({@code ns/name}) → volume chosen for it by this scheduler, not yet seen bound. */
  private final Map<String, String> assumed = new HashMap<>();
  /** Volume name → the claim whose {@code spec.volumeName} names it (the claim side of a binding). */
  private final Map<String, String> namedBy = new HashMap<>();
  /** StorageClass name → its {@code volumeBindingMode} (Immediate when unset, the API's default). */
  private final Map<String, String> bindingModes = new HashMap<>();

  /** Forgets everything (a rebuild from the stores follows). */
  public void clear() {
    claims.clear();
    volumes.clear();
    assumed.clear();
    namedBy.clear();
    bindingModes.clear();
  }

  /** Sets a StorageClass; returns whether its binding mode changed (what scheduling decides on). */
  public boolean putClass(GenericRecord storageClass) {
    String mode = AvroPaths.string(storageClass, "volumeBindingMode");
    return !(mode == null ? "Immediate" : mode).equals(
        bindingModes.put(Meta.name(storageClass), mode == null ? "Immediate" : mode));
  }

  /** Forgets a StorageClass; returns whether it was known. */
  public boolean removeClass(String name) {
    return bindingModes.remove(name) != null;
  }

  /**
   * Whether an unbound claim waits for its first consumer (kube's {@code IsDelayBindingMode}): only
   * when its class exists with {@code WaitForFirstConsumer}; no class or a class not found is immediate.
   */
  boolean delayed(Claim c) {
    return c.storageClass() != null && !c.storageClass().isEmpty()
        && WAIT_FOR_FIRST_CONSUMER.equals(bindingModes.get(c.storageClass()));
  }

  /**
   * kube's VolumeBinding PreFilter: the status of the pod's claims before any node is looked at:
   * a claim not found, or an unbound claim that does not wait for its first consumer, rules out
   * every node; success otherwise.
   */
  public Status preCheck(PodInfo pod) {
    if (pod.claims().isEmpty()) {
      return Status.SUCCESS;
    }
    String ns = pod.namespace() == null ? "default" : pod.namespace();
    boolean unboundImmediate = false;
    for (String claimName : pod.claims()) {
      Claim c = claims.get(ns + "/" + claimName);
      if (c == null) {
        return Status.unresolvable("persistentvolumeclaim \"" + claimName + "\" not found");
      }
      if (Records.isEmpty(c.volumeName()) && !assumed.containsKey(ns + "/" + claimName) && !delayed(c)) {
        unboundImmediate = true;
      }
    }
    return unboundImmediate ? Status.unresolvable(UNBOUND_IMMEDIATE) : Status.SUCCESS;
  }

  public void putClaim(GenericRecord pvc) {
    GenericRecord spec = AvroPaths.record(pvc, "spec");
    GenericRecord resources = AvroPaths.record(spec, "resources");
    String storage = Records.stringMap(resources, "requests").get("storage");
    String cls = Meta.annotations(pvc).get(BETA_CLASS_ANNOTATION);
    Claim c = new Claim(ns(pvc), Meta.name(pvc), cls != null ? cls : AvroPaths.string(spec, "storageClassName"),
        AvroPaths.string(spec, "volumeName"), storage == null ? 0 : Quantity.parse(storage).milliValue(),
        new HashSet<>(Records.strings(spec, "accessModes")), pvc);
    String key = c.namespace() + "/" + c.name();
    Claim old = claims.put(key, c);
    if (old != null && !Records.isEmpty(old.volumeName())) {
      namedBy.remove(old.volumeName(), key);
    }
    if (!Records.isEmpty(c.volumeName())) {
      assumed.remove(key);
      namedBy.put(c.volumeName(), key);
    }
  }

  public void removeClaim(String namespace, String name) {
    String key = namespace + "/" + name;
    Claim old = claims.remove(key);
    if (old != null && !Records.isEmpty(old.volumeName())) {
      namedBy.remove(old.volumeName(), key);
    }
    assumed.remove(key);
  }

  public void putVolume(GenericRecord pv) {
    GenericRecord spec = AvroPaths.record(pv, "spec");
    String storage = Records.stringMap(spec, "capacity").get("storage");
    GenericRecord claimRef = AvroPaths.record(spec, "claimRef");
    String ref = claimRef == null || AvroPaths.string(claimRef, "name") == null ? null
        : AvroPaths.string(claimRef, "namespace") + "/" + AvroPaths.string(claimRef, "name");
    List<NodeSelectorTerm> terms = new ArrayList<>();
    GenericRecord required = AvroPaths.record(AvroPaths.record(spec, "nodeAffinity"), "required");
    for (GenericRecord t : Records.records(required, "nodeSelectorTerms")) {
      terms.add(NodeSelectorTerm.of(t));
    }
    volumes.put(Meta.name(pv), new Volume(Meta.name(pv), AvroPaths.string(spec, "storageClassName"),
        storage == null ? 0 : Quantity.parse(storage).milliValue(),
        new HashSet<>(Records.strings(spec, "accessModes")), ref, terms, pv));
  }

  public void removeVolume(String name) {
    volumes.remove(name);
  }

  private static String ns(GenericRecord obj) {
    String ns = Meta.namespace(obj);
    return ns == null ? "default" : ns;
  }

  /** Whether the pod's claims allow the node: null when they do, else the failing status. */
  public Status check(PodInfo pod, NodeInfo node) {
    if (pod.claims().isEmpty()) {
      return Status.SUCCESS;
    }
    Map<String, String> chosen = new LinkedHashMap<>();
    return choose(pod, node, chosen);
  }

  /**
   * The volumes to bind for the pod's unbound claims on this node (claim {@code ns/name} → volume
   * name), empty when all are bound; null when the pod does not fit the node by its volumes.
   */
  public Map<String, String> volumesToBind(PodInfo pod, NodeInfo node) {
    Map<String, String> chosen = new LinkedHashMap<>();
    return choose(pod, node, chosen).isSuccess() ? chosen : null;
  }

  private Status choose(PodInfo pod, NodeInfo node, Map<String, String> chosen) {
    String ns = pod.namespace() == null ? "default" : pod.namespace();
    Set<String> taken = new HashSet<>();
    for (String claimName : pod.claims()) {
      String key = ns + "/" + claimName;
      Claim c = claims.get(key);
      if (c == null) {
        return Status.unresolvable("persistentvolumeclaim \"" + claimName + "\" not found");
      }
      String volumeName = !Records.isEmpty(c.volumeName()) ? c.volumeName() : assumed.get(key);
      if (volumeName != null) {
        Volume v = volumes.get(volumeName);
        if (v == null) {
          return Status.unresolvable(MISSING_VOLUME);
        }
        if (!v.allows(node)) {
          return Status.unresolvable(NODE_CONFLICT);
        }
        continue;
      }
      Volume best = null;
      for (Volume v : volumes.values()) {
        if (available(v, key) && !taken.contains(v.name()) && matches(c, v) && v.allows(node)
            && (best == null || v.capacityMilli() < best.capacityMilli())) {
          best = v;
        }
      }
      if (best == null) {
        return Status.unresolvable(NO_VOLUME);
      }
      taken.add(best.name());
      chosen.put(key, best.name());
    }
    return Status.SUCCESS;
  }

  private boolean available(Volume v, String claimKey) {
    if (v.claimRef() != null) {
      return v.claimRef().equals(claimKey);
    }
    String named = namedBy.get(v.name());
    return (named == null || named.equals(claimKey)) && !assumed.containsValue(v.name());
  }

  private static boolean matches(Claim c, Volume v) {
    String cc = c.storageClass() == null ? "" : c.storageClass();
    String vc = v.storageClass() == null ? "" : v.storageClass();
    return cc.equals(vc) && v.capacityMilli() >= c.requestMilli() && v.accessModes().containsAll(c.accessModes());
  }

  /** Holds the chosen volumes for their claims until the claims are seen bound. */
  public void assume(Map<String, String> chosen) {
    assumed.putAll(chosen);
  }

  /** Gives up chosen volumes (the pod's binding was refused or lost). */
  public void forget(Map<String, String> chosen) {
    chosen.forEach((claim, volume) -> assumed.remove(claim, volume));
  }

  /** The stored claim record ({@code ns/name}), or null. */
  public GenericRecord claimRecord(String claimKey) {
    Claim c = claims.get(claimKey);
    return c == null ? null : c.record();
  }

  public GenericRecord volumeRecord(String name) {
    Volume v = volumes.get(name);
    return v == null ? null : v.record();
  }
}
