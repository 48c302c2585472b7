package io.kafkube.api.apply;

import java.util.ArrayList;
import java.util.List;

/** A path from the root of an object to one of its fields or list items. Immutable. */
public record FieldPath(List<PathElement> elements) implements Comparable<FieldPath> {
  public static final FieldPath ROOT = new FieldPath(List.of());

  public FieldPath {
    elements = List.copyOf(elements);
  }

  /** A path of fields, e.g. {@code of("spec", "replicas")}. */
  public static FieldPath of(String... fields) {
    List<PathElement> l = new ArrayList<>();
    for (String f : fields) {
      l.add(PathElement.field(f));
    }
    return new FieldPath(l);
  }

  public FieldPath child(PathElement e) {
    PathElement[] a = elements.toArray(new PathElement[elements.size() + 1]);
    a[a.length - 1] = e;
    return new FieldPath(List.of(a)); // List.copyOf keeps an immutable list as it is
  }

  public FieldPath child(String field) {
    return child(PathElement.field(field));
  }

  public boolean isRoot() {
    return elements.isEmpty();
  }

  /** Whether {@code other} is this path or lies below it. */
  public boolean isPrefixOf(FieldPath other) {
    return other.elements.size() >= elements.size()
        && other.elements.subList(0, elements.size()).equals(elements);
  }

  /** {@code .spec.template.spec.containers[name="web"].image}, as kube-apiserver prints it in conflicts. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (PathElement e : elements) {
      b.append(e);
    }
    return b.toString();
  }

  @Override
  public int compareTo(FieldPath o) {
    int n = Math.min(elements.size(), o.elements.size());
    for (int i = 0; i < n; i++) {
      int c = elements.get(i).compareTo(o.elements.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(elements.size(), o.elements.size());
  }
}
