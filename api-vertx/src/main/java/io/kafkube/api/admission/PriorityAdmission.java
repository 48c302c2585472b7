package io.kafkube.api.admission;

import io.kafkube.api.ApiException;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.status.Statuses;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;

/**
 * kube-apiserver's {@code Priority} admission plugin for new pods: {@code spec.priorityClassName} is
 * resolved to {@code spec.priority} and {@code spec.preemptionPolicy}; without a name the globalDefault
 * class applies (the lowest valued one if several claim it, as kube picks), else priority 0 and
 * {@code PreemptLowerPriority}. An unknown class, or a priority or policy given in the pod that
 * differs from the computed one, is 403 Forbidden with kube's messages. Pure: classes come through
 * the lookups.
 */
public final class PriorityAdmission {
  /** The classes kube-apiserver creates at start, also known when they are not (yet) stored. */
  public static final Map<String, Integer> SYSTEM_CLASSES = Map.of(
      "system-node-critical", 2_000_001_000, "system-cluster-critical", 2_000_000_000);
  static final String DEFAULT_POLICY = "PreemptLowerPriority";

  private PriorityAdmission() {}

  /** The priority a pod gets. */
  public record Resolved(String className, int priority, String preemptionPolicy) {}

  /**
   * Resolves and sets the pod's priority.
   *
   * @param pods    the pods resource (for the Status)
   * @param pod     the new pod, changed in place
   * @param byName  the stored PriorityClass of a name, or null
   * @param all     every stored PriorityClass (for the global default)
   * @throws ApiException 403 Forbidden
   */
  public static Resolved admit(ResourceType pods, GenericRecord pod, Function<String, GenericRecord> byName,
      Collection<GenericRecord> all) {
    GenericRecord spec = (GenericRecord) pod.get("spec");
    if (spec == null) {
      return null;
    }
    String name = AvroPaths.string(spec, "priorityClassName");
    Resolved r;
    if (name == null || name.isEmpty()) {
      GenericRecord def = null;
      for (GenericRecord pc : all) {
        if (Boolean.TRUE.equals(pc.get("globalDefault")) && (def == null || value(pc) < value(def))) {
          def = pc;
        }
      }
      r = def == null ? new Resolved(null, 0, DEFAULT_POLICY) : resolved(def);
    } else {
      GenericRecord pc = byName.apply(name);
      if (pc != null) {
        r = resolved(pc);
      } else if (SYSTEM_CLASSES.containsKey(name)) {
        r = new Resolved(name, SYSTEM_CLASSES.get(name), DEFAULT_POLICY);
      } else {
        throw forbidden(pods, pod, "no PriorityClass with name " + name + " was found");
      }
    }
    Object given = spec.get("priority");
    if (given instanceof Number n && n.intValue() != r.priority()) {
      throw forbidden(pods, pod, "the integer value of priority (" + n.intValue() + ") must not be provided in pod "
          + "spec; priority admission controller computed " + r.priority() + " from the given PriorityClass name");
    }
    Object policy = spec.get("preemptionPolicy");
    if (policy != null && !policy.toString().equals(r.preemptionPolicy())) {
      throw forbidden(pods, pod, "the string value of PreemptionPolicy (" + policy + ") must not be provided in pod "
          + "spec; priority admission controller computed " + r.preemptionPolicy()
          + " from the given PriorityClass name");
    }
    if (r.className() != null) {
      spec.put("priorityClassName", r.className());
    }
    spec.put("priority", r.priority());
    spec.put("preemptionPolicy", r.preemptionPolicy());
    return r;
  }

  private static Resolved resolved(GenericRecord pc) {
    Object policy = pc.get("preemptionPolicy");
    return new Resolved(Meta.name(pc), value(pc), policy == null ? DEFAULT_POLICY : policy.toString());
  }

  private static int value(GenericRecord pc) {
    Object v = pc.get("value");
    return v instanceof Number n ? n.intValue() : 0;
  }

  private static ApiException forbidden(ResourceType pods, GenericRecord pod, String why) {
    String name = Meta.name(pod) == null || Meta.name(pod).isEmpty() ? "" : Meta.name(pod);
    return new ApiException(Statuses.status(403, "Forbidden", pods.plural() + " \"" + name + "\" is forbidden: "
        + why, pods, name, pods.plural(), List.of()));
  }
}
