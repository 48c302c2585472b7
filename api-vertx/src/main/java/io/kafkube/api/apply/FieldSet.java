package io.kafkube.api.apply;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A set of field paths (the fields one manager owns), with the set algebra structured-merge-diff
 * uses and Kubernetes' {@code fieldsV1} encoding: a tree of {@code f:}/{@code k:}/{@code v:}/{@code i:}
 * keys where {@code ".": {}} marks a path that is itself a member and has members below it. Immutable.
 */
public final class FieldSet {
  public static final FieldSet EMPTY = new FieldSet(new TreeSet<>());

  private final NavigableSet<FieldPath> paths;

  private FieldSet(NavigableSet<FieldPath> paths) {
    this.paths = Collections.unmodifiableNavigableSet(paths);
  }

  public static FieldSet of(Collection<FieldPath> paths) {
    return new FieldSet(new TreeSet<>(paths));
  }

  public static FieldSet of(FieldPath... paths) {
    return of(List.of(paths));
  }

  public NavigableSet<FieldPath> paths() {
    return paths;
  }

  public boolean isEmpty() {
    return paths.isEmpty();
  }

  public boolean contains(FieldPath p) {
    return paths.contains(p);
  }

  /** Whether a member of this set lies strictly below {@code prefix}. */
  public boolean hasBelow(FieldPath prefix) {
    FieldPath next = paths.higher(prefix);
    return next != null && prefix.isPrefixOf(next) && !next.equals(prefix);
  }

  public FieldSet union(FieldSet o) {
    if (o.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return o;
    }
    TreeSet<FieldPath> s = new TreeSet<>(paths);
    s.addAll(o.paths);
    return new FieldSet(s);
  }

  public FieldSet difference(FieldSet o) {
    if (isEmpty() || o.isEmpty()) {
      return this;
    }
    TreeSet<FieldPath> s = new TreeSet<>(paths);
    s.removeAll(o.paths);
    return new FieldSet(s);
  }

  public FieldSet intersection(FieldSet o) {
    if (isEmpty() || o.isEmpty()) {
      return EMPTY;
    }
    TreeSet<FieldPath> s = new TreeSet<>(paths);
    s.retainAll(o.paths);
    return new FieldSet(s);
  }

  /** The {@code fieldsV1} document of this set. */
  public ObjectNode toFieldsV1() {
    Node root = new Node();
    for (FieldPath p : paths) {
      Node n = root;
      for (PathElement e : p.elements()) {
        n = n.children.computeIfAbsent(e, k -> new Node());
      }
      n.member = true;
    }
    return emit(root);
  }

  /**
   * The {@code fieldsV1} document of this set as compact JSON, the text {@link #toFieldsV1()} would
   * serialize to, written in one pass over the sorted paths: a path sorts before everything below
   * it and its children in key order, so the paths in order are the document's objects in order.
   */
  public String toFieldsV1Json() {
    FieldPath[] all = paths.toArray(new FieldPath[0]);
    StringBuilder b = new StringBuilder(32 * all.length + 2).append('{');
    List<PathElement> open = new ArrayList<>();
    // whether the object at each depth that is open (0: the document) has a member written yet
    boolean[] written = new boolean[16];
    for (int n = 0; n < all.length; n++) {
      List<PathElement> p = all[n].elements();
      int common = 0;
      while (common < open.size() && common < p.size() && open.get(common).equals(p.get(common))) {
        common++;
      }
      while (open.size() > common) {
        open.remove(open.size() - 1);
        b.append('}');
      }
      for (int i = common; i < p.size(); i++) {
        if (written[open.size()]) {
          b.append(',');
        }
        written[open.size()] = true;
        b.append('"').append(JsonStringEncoder.getInstance().quoteAsString(p.get(i).fieldsV1Key())).append("\":{");
        open.add(p.get(i));
        if (open.size() == written.length) {
          written = Arrays.copyOf(written, 2 * written.length);
        }
        written[open.size()] = false;
      }
      // a member with members below it: they come next, after its mark (a fresh object, so the mark is first)
      if (n + 1 < all.length && all[n].isPrefixOf(all[n + 1])) {
        b.append(written[open.size()] ? ",\".\":{}" : "\".\":{}");
        written[open.size()] = true;
      }
    }
    for (int i = 0; i <= open.size(); i++) {
      b.append('}');
    }
    return b.toString();
  }

  /** Parses a {@code fieldsV1} document; malformed documents are an IllegalArgumentException. */
  public static FieldSet fromFieldsV1(JsonNode doc) {
    TreeSet<FieldPath> s = new TreeSet<>();
    if (doc != null && !doc.isNull()) {
      if (!doc.isObject()) {
        throw new IllegalArgumentException("fieldsV1 must be a JSON object");
      }
      read(doc, FieldPath.ROOT, s);
    }
    return new FieldSet(s);
  }

  private static void read(JsonNode n, FieldPath at, TreeSet<FieldPath> out) {
    if (!n.isObject()) {
      throw new IllegalArgumentException("fieldsV1 at " + at + " must be a JSON object");
    }
    if (n.isEmpty() && !at.isRoot()) {
      out.add(at);
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals(".")) {
        if (!at.isRoot()) {
          out.add(at);
        }
      } else {
        read(e.getValue(), at.child(PathElement.parse(e.getKey())), out);
      }
    }
  }

  private static ObjectNode emit(Node n) {
    ObjectNode o = PathElement.MAPPER.createObjectNode();
    if (n.member && !n.children.isEmpty()) {
      o.putObject(".");
    }
    n.children.forEach((e, c) -> o.set(e.fieldsV1Key(), emit(c)));
    return o;
  }

  private static final class Node {
    boolean member;
    final TreeMap<PathElement, Node> children = new TreeMap<>();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSet f && f.paths.equals(paths);
  }

  @Override
  public int hashCode() {
    return paths.hashCode();
  }

  @Override
  public String toString() {
    List<String> l = new ArrayList<>();
    for (FieldPath p : paths) {
      l.add(p.toString());
    }
    return l.toString();
  }
}
