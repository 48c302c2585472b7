package io.kafkube.scheduler.framework;

import io.kafkube.schemas.meta.AvroPaths;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;

/**
 * One pod (anti-)affinity term of a pod: the pods it is about (label selector, in the given
 * namespaces) and the topology domain they share ({@code topologyKey}).
 *
 * @param namespaces    the namespaces the term looks in; when empty and {@code allNamespaces} is false,
 *                      the owning pod's own namespace (Kubernetes' default)
 * @param allNamespaces an empty {@code namespaceSelector} ({@code {}}) selects every namespace.
 *                      A non-empty namespace selector would need Namespace objects; kafkube reads only
 *                      the listed namespaces then (and the pod's own when none are listed)
 */
public record PodAffinityTerm(LabelSelector selector, Set<String> namespaces, boolean allNamespaces,
    String topologyKey) {

  public PodAffinityTerm {
    namespaces = Set.copyOf(namespaces);
  }

  /** A preferred term with its weight (1-100). */
  public record Weighted(int weight, PodAffinityTerm term) {}

  /** Whether {@code other} is a pod this term is about. */
  public boolean matches(PodInfo other) {
    return (allNamespaces || namespaces.contains(other.namespace())) && selector.matches(other.labels());
  }

  static PodAffinityTerm of(GenericRecord term, String ownNamespace, Map<String, String> ownLabels) {
    LabelSelector selector = LabelSelector.of(AvroPaths.record(term, "labelSelector"))
        .withLabelKeys(Records.strings(term, "matchLabelKeys"), Records.strings(term, "mismatchLabelKeys"), ownLabels);
    Set<String> ns = new HashSet<>(Records.strings(term, "namespaces"));
    GenericRecord nsSelector = AvroPaths.record(term, "namespaceSelector");
    boolean all = nsSelector != null && LabelSelector.of(nsSelector).isEmpty();
    if (ns.isEmpty() && nsSelector == null) {
      ns.add(ownNamespace == null ? "default" : ownNamespace);
    }
    String key = AvroPaths.string(term, "topologyKey");
    return new PodAffinityTerm(selector, ns, all, key == null ? "" : key);
  }
}
