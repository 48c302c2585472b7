package io.kafkube.scheduler.framework;

import java.util.HashMap;
import java.util.Map;

/**
 * The scheduler's view of Namespace objects: their labels, by name, for the {@code namespaceSelector}
 * of pod (anti-)affinity terms (kube-scheduler's namespace lister). A namespace not known here has no
 * labels, and no non-empty namespace selector selects it.
 */
public final class Namespaces {
  /** No namespace known: only the listed namespaces and {@code {}} selectors select any. */
  public static final Namespaces NONE = new Namespaces();

  private final Map<String, Map<String, String>> labels = new HashMap<>();

  /** Sets a namespace's labels; returns whether they changed (a change may make pods schedulable). */
  public boolean put(String name, Map<String, String> nsLabels) {
    Map<String, String> copy = Map.copyOf(nsLabels);
    return !copy.equals(labels.put(name, copy));
  }

  /** Forgets a namespace; returns whether it was known. */
  public boolean remove(String name) {
    return labels.remove(name) != null;
  }

  public void clear() {
    labels.clear();
  }

  /** The namespace's labels, or null when no such Namespace is known. */
  public Map<String, String> labels(String name) {
    return labels.get(name);
  }

  public int size() {
    return labels.size();
  }
}
