package io.kafkube.schemas.validation;

/**
 * A field path as Kubernetes prints it: {@code spec.containers[0].ports[1].name},
 * {@code spec.resources[storage]}. Immutable; each step returns a new path.
 */
public final class FieldPath {
  private static final FieldPath ROOT = new FieldPath(null, "");

  private final FieldPath parent;
  private final String text;

  private FieldPath(FieldPath parent, String text) {
    this.parent = parent;
    this.text = text;
  }

  /** The empty path: {@code root().child("spec")} prints {@code spec}. */
  public static FieldPath root() {
    return ROOT;
  }

  /** {@code FieldPath.of("spec", "template")} prints {@code spec.template}. */
  public static FieldPath of(String first, String... more) {
    FieldPath p = ROOT.child(first);
    for (String m : more) {
      p = p.child(m);
    }
    return p;
  }

  public FieldPath child(String name) {
    return new FieldPath(this, text.isEmpty() ? name : text + "." + name);
  }

  public FieldPath child(String name, String... more) {
    FieldPath p = child(name);
    for (String m : more) {
      p = p.child(m);
    }
    return p;
  }

  public FieldPath index(int i) {
    return new FieldPath(this, text + "[" + i + "]");
  }

  public FieldPath key(String key) {
    return new FieldPath(this, text + "[" + key + "]");
  }

  /** The path one step up ({@code root()} for a root child). */
  public FieldPath parent() {
    return parent == null ? ROOT : parent;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldPath p && p.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
