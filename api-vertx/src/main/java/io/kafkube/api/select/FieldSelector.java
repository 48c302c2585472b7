package io.kafkube.api.select;

import io.kafkube.api.ApiException;
import io.kafkube.schemas.resource.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;

/**
 * A field selector ({@code metadata.name=x,spec.nodeName!=n}) over the fields Kubernetes lets one
 * select by, per kind. A field the kind does not support is a 400, as in kube-apiserver.
 */
public final class FieldSelector {
  public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  private static final Set<String> COMMON = Set.of("metadata.name", "metadata.namespace");
  private static final Map<String, Set<String>> BY_KIND = Map.of(
      "Pod", Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
          "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
      "Event", Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
          "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
          "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"),
      "Secret", Set.of("type"),
      "Node", Set.of("spec.unschedulable"),
      "Namespace", Set.of("status.phase"),
      "ReplicaSet", Set.of("status.replicas"),
      "Job", Set.of("status.successful"));

  private final List<Term> terms;

  /** One term: field, whether it must equal (or differ from) the value. */
  public record Term(String field, boolean equals, String value) {}

  private FieldSelector(List<Term> terms) {
    this.terms = List.copyOf(terms);
  }

  public static FieldSelector parse(String s, ResourceType type) {
    if (s == null || s.isBlank()) {
      return EVERYTHING;
    }
    List<Term> out = new ArrayList<>();
    for (String raw : s.split(",")) {
      String t = raw.trim();
      boolean eq;
      int at = t.indexOf("!=");
      int len = 2;
      if (at >= 0) {
        eq = false;
      } else {
        eq = true;
        at = t.indexOf("==");
        if (at < 0) {
          at = t.indexOf('=');
          len = 1;
        }
      }
      if (at <= 0) {
        throw ApiException.badRequest("invalid selector: '" + s + "'; can't understand '" + t + "'");
      }
      String field = t.substring(0, at).trim();
      if (!COMMON.contains(field) && !BY_KIND.getOrDefault(type.kind(), Set.of()).contains(field)) {
        throw ApiException.badRequest("field label not supported: " + field);
      }
      out.add(new Term(field, eq, t.substring(at + len).trim()));
    }
    return new FieldSelector(out);
  }

  public boolean matches(GenericRecord obj) {
    for (Term t : terms) {
      boolean same = t.value().equals(value(obj, t.field()));
      if (same != t.equals()) {
        return false;
      }
    }
    return true;
  }

  public boolean isEverything() {
    return terms.isEmpty();
  }

  /** The name this selector pins ({@code metadata.name=x}), if any: lets a watch of one object skip the rest. */
  public Optional<String> exactName() {
    for (Term t : terms) {
      if (t.equals() && t.field().equals("metadata.name")) {
        return Optional.of(t.value());
      }
    }
    return Optional.empty();
  }

  /** The value of a selectable field as a string; absent fields are "" and absent booleans "false". */
  static String value(GenericRecord obj, String path) {
    Object cur = obj;
    for (String seg : path.split("\\.")) {
      if (!(cur instanceof GenericRecord r) || r.getSchema().getField(seg) == null) {
        cur = null;
        break;
      }
      cur = r.get(seg);
    }
    if (cur == null) {
      return path.equals("spec.unschedulable") || path.equals("spec.hostNetwork") ? "false" : "";
    }
    return cur.toString();
  }
}
