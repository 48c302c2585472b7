package io.kafkube.scheduler.framework;

import io.kafkube.schemas.meta.AvroPaths;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;

/**
 * One pod (anti-)affinity term of a pod: the pods it is about (label selector, in the namespaces it
 * names or selects) and the topology domain they share ({@code topologyKey}).
 *
 * <p>The namespaces, as kube-scheduler resolves them: the union of {@code namespaces} and of the
 * namespaces whose labels {@code namespaceSelector} matches; an empty selector ({@code {}}) selects
 * every namespace; with no selector and no namespaces listed, the owning pod's own namespace.
 *
 * @param namespaces        the namespaces listed (or the owning pod's own, by default)
 * @param namespaceSelector the selector on Namespace labels; {@link LabelSelector#NOTHING} when absent
 */
public record PodAffinityTerm(LabelSelector selector, Set<String> namespaces, LabelSelector namespaceSelector,
    String topologyKey) {

  public PodAffinityTerm {
    namespaces = Set.copyOf(namespaces);
  }

  /** A preferred term with its weight (1-100). */
  public record Weighted(int weight, PodAffinityTerm term) {}

  /** Whether the term looks in every namespace ({@code namespaceSelector: {}}). */
  public boolean allNamespaces() {
    return namespaceSelector.isEmpty();
  }

  /** Whether the term selects namespaces by their labels (a non-empty selector). */
  public boolean selectsNamespacesByLabels() {
    return !namespaceSelector.matchesNothing() && !namespaceSelector.isEmpty();
  }

  /**
   * Whether {@code other} is a pod this term is about, with namespace labels looked up in
   * {@code known} (a namespace it does not know is selected only by name or by {@code {}}).
   */
  public boolean matches(PodInfo other, Namespaces known) {
    return inNamespace(other.namespace(), known) && selector.matches(other.labels());
  }

  /** {@link #matches(PodInfo, Namespaces)} with no Namespace objects known. */
  public boolean matches(PodInfo other) {
    return matches(other, Namespaces.NONE);
  }

  /** Whether the term looks in the namespace. */
  public boolean inNamespace(String namespace, Namespaces known) {
    if (namespaces.contains(namespace) || namespaceSelector.isEmpty()) {
      return true;
    }
    if (namespaceSelector.matchesNothing()) {
      return false;
    }
    Map<String, String> labels = known.labels(namespace);
    return labels != null && namespaceSelector.matches(labels);
  }

  static PodAffinityTerm of(GenericRecord term, String ownNamespace, Map<String, String> ownLabels) {
    LabelSelector selector = LabelSelector.of(AvroPaths.record(term, "labelSelector"))
        .withLabelKeys(Records.strings(term, "matchLabelKeys"), Records.strings(term, "mismatchLabelKeys"), ownLabels);
    Set<String> ns = new HashSet<>(Records.strings(term, "namespaces"));
    GenericRecord nsSelector = AvroPaths.record(term, "namespaceSelector");
    if (ns.isEmpty() && nsSelector == null) {
      ns.add(ownNamespace == null ? "default" : ownNamespace);
    }
    String key = AvroPaths.string(term, "topologyKey");
    return new PodAffinityTerm(selector, ns, LabelSelector.of(nsSelector), key == null ? "" : key);
  }
}
