package io.kafkube.scheduler.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * A Kubernetes label selector ({@code matchLabels} and {@code matchExpressions}, all ANDed). An empty
 * selector matches every set of labels; {@link #NOTHING} (what a null selector stands for in pod
 * affinity terms and spread constraints) matches none.
 */
public record LabelSelector(List<Requirement> requirements, boolean matchesNothing) {
  public static final LabelSelector NOTHING = new LabelSelector(List.of(), true);
  public static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);

  /** {@code key operator values}, operators In, NotIn, Exists, DoesNotExist. */
  public record Requirement(String key, String operator, List<String> values) {
    public Requirement {
      values = List.copyOf(values);
    }

    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case "In" -> v != null && values.contains(v);
        case "NotIn" -> v == null || !values.contains(v);
        case "Exists" -> v != null;
        case "DoesNotExist" -> v == null;
        default -> false;
      };
    }
  }

  public LabelSelector {
    requirements = List.copyOf(requirements);
  }

  public static LabelSelector of(Map<String, String> matchLabels) {
    List<Requirement> reqs = new ArrayList<>();
    matchLabels.forEach((k, v) -> reqs.add(new Requirement(k, "In", List.of(v))));
    return new LabelSelector(reqs, false);
  }

  /** Reads a LabelSelector record; null gives {@link #NOTHING}. */
  public static LabelSelector of(GenericRecord selector) {
    if (selector == null) {
      return NOTHING;
    }
    List<Requirement> reqs = new ArrayList<>();
    Records.stringMap(selector, "matchLabels").forEach((k, v) -> reqs.add(new Requirement(k, "In", List.of(v))));
    for (GenericRecord e : Records.records(selector, "matchExpressions")) {
      reqs.add(new Requirement(String.valueOf(e.get("key")), String.valueOf(e.get("operator")),
          Records.strings(e, "values")));
    }
    return new LabelSelector(reqs, false);
  }

  /**
   * This selector with {@code key In [v]} for each of {@code matchLabelKeys} and {@code key NotIn [v]}
   * for each of {@code mismatchLabelKeys}, v being the owning pod's value of the key (keys the pod does
   * not carry are skipped), as kube-apiserver merges them into the selector.
   */
  public LabelSelector withLabelKeys(List<String> matchLabelKeys, List<String> mismatchLabelKeys,
      Map<String, String> podLabels) {
    if (matchesNothing || (matchLabelKeys.isEmpty() && mismatchLabelKeys.isEmpty())) {
      return this;
    }
    List<Requirement> reqs = new ArrayList<>(requirements);
    for (String k : matchLabelKeys) {
      if (podLabels.containsKey(k)) {
        reqs.add(new Requirement(k, "In", List.of(podLabels.get(k))));
      }
    }
    for (String k : mismatchLabelKeys) {
      if (podLabels.containsKey(k)) {
        reqs.add(new Requirement(k, "NotIn", List.of(podLabels.get(k))));
      }
    }
    return new LabelSelector(reqs, false);
  }

  public boolean matches(Map<String, String> labels) {
    if (matchesNothing) {
      return false;
    }
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return !matchesNothing && requirements.isEmpty();
  }
}
