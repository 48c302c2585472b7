package io.kafkube.scheduler.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * One node selector term: all its requirements must hold (terms of a selector are ORed).
 * {@code matchFields} supports {@code metadata.name}, as Kubernetes does.
 */
public record NodeSelectorTerm(List<Requirement> matchExpressions, List<Requirement> matchFields) {

  /** {@code key operator values}, operators In, NotIn, Exists, DoesNotExist, Gt, Lt. */
  public record Requirement(String key, String operator, List<String> values) {
    public Requirement {
      values = List.copyOf(values);
    }

    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case "In" -> v != null && values.contains(v);
        case "NotIn" -> v == null || !values.contains(v);
        case "Exists" -> labels.containsKey(key);
        case "DoesNotExist" -> !labels.containsKey(key);
        case "Gt", "Lt" -> v != null && values.size() == 1 && compare(v, values.get(0), operator);
        default -> false; // an unknown operator never matches
      };
    }

    private static boolean compare(String label, String bound, String op) {
      try {
        long l = Long.parseLong(label);
        long b = Long.parseLong(bound);
        return op.equals("Gt") ? l > b : l < b;
      } catch (NumberFormatException e) {
        return false;
      }
    }
  }

  public NodeSelectorTerm {
    matchExpressions = List.copyOf(matchExpressions);
    matchFields = List.copyOf(matchFields);
  }

  /** A term without requirements matches nothing (Kubernetes' rule). */
  public boolean matches(NodeInfo node) {
    if (matchExpressions.isEmpty() && matchFields.isEmpty()) {
      return false;
    }
    for (Requirement r : matchExpressions) {
      if (!r.matches(node.labels())) {
        return false;
      }
    }
    for (Requirement r : matchFields) {
      if (!r.key().equals("metadata.name") || !r.matches(Map.of("metadata.name", node.name()))) {
        return false;
      }
    }
    return true;
  }

  static NodeSelectorTerm of(GenericRecord term) {
    return new NodeSelectorTerm(requirements(term, "matchExpressions"), requirements(term, "matchFields"));
  }

  private static List<Requirement> requirements(GenericRecord term, String field) {
    List<Requirement> out = new ArrayList<>();
    for (GenericRecord r : Records.records(term, field)) {
      out.add(new Requirement(String.valueOf(r.get("key")), String.valueOf(r.get("operator")),
          Records.strings(r, "values")));
    }
    return out;
  }
}
