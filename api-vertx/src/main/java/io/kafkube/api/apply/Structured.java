package io.kafkube.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations of structured-merge-diff on Kubernetes JSON, driven by a {@link Shape}: the field
 * set of a value, the comparison of two values, merging an applied configuration into a live
 * object, and removing fields. Pure functions; inputs are never modified.
 *
 * <p>In the field set of an applied configuration, an item of an associative list is a member
 * itself ({@code ".": {}}) as well as its fields, structs and maps only through their fields. In a
 * comparison a granular map that appears or disappears is a member too (so Update managers own
 * {@code f:labels: {".": {}}}), a struct is not (Go's non-pointer structs always exist). An empty
 * object, an empty list, a null and anything atomic is a leaf.
 */
public final class Structured {
  private Structured() {}

  /** What changed between two values: paths added, changed in place, removed. */
  public record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {
    public boolean isSame() {
      return added.isEmpty() && modified.isEmpty() && removed.isEmpty();
    }

    /** Added or modified: what a writer set. */
    public FieldSet changed() {
      return added.union(modified);
    }
  }

  /** The set of fields a value specifies (structured-merge-diff's ToFieldSet). */
  public static FieldSet fieldsOf(JsonNode value, Shape shape) {
    List<FieldPath> out = new ArrayList<>();
    collect(value, shape, FieldPath.ROOT, false, out);
    return FieldSet.of(out);
  }

  /** Compares {@code before} with {@code after} (either may be null: absent). */
  public static Comparison compare(JsonNode before, JsonNode after, Shape shape) {
    List<FieldPath> added = new ArrayList<>();
    List<FieldPath> modified = new ArrayList<>();
    List<FieldPath> removed = new ArrayList<>();
    compare(present(before), present(after), shape, FieldPath.ROOT, false, added, modified, removed);
    return new Comparison(FieldSet.of(added), FieldSet.of(modified), FieldSet.of(removed));
  }

  /**
   * Merges {@code config} into {@code live}: the configuration's values win; struct and map fields
   * it does not name are kept; associative lists are merged item by item by key (live order, new
   * items appended in configuration order); sets are united; atomic values replaced.
   */
  public static JsonNode merge(JsonNode live, JsonNode config, Shape shape) {
    live = present(live);
    config = present(config);
    if (config == null) {
      return live == null ? null : live.deepCopy();
    }
    if (live == null || shape.kind() == Shape.Kind.ATOMIC || !shape.fits(live) || !shape.fits(config)) {
      return config.deepCopy();
    }
    switch (shape.kind()) {
      case STRUCT, MAP -> {
        ObjectNode out = (ObjectNode) live.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (e.getValue().isNull()) {
            out.remove(e.getKey());
          } else {
            out.set(e.getKey(), merge(live.get(e.getKey()), e.getValue(), shape.child(e.getKey())));
          }
        }
        return out;
      }
      case ASSOCIATIVE -> {
        Map<PathElement, JsonNode> liveItems = byKey(live, shape);
        Map<PathElement, JsonNode> configItems = byKey(config, shape);
        if (liveItems == null || configItems == null) {
          return config.deepCopy();
        }
        ArrayNode out = PathElement.MAPPER.createArrayNode();
        liveItems.forEach((k, item) -> out.add(configItems.containsKey(k)
            ? merge(item, configItems.get(k), shape.item()) : item.deepCopy()));
        configItems.forEach((k, item) -> {
          if (!liveItems.containsKey(k)) {
            out.add(item.deepCopy());
          }
        });
        return out;
      }
      case SET -> {
        Set<JsonNode> seen = new LinkedHashSet<>();
        live.forEach(seen::add);
        config.forEach(seen::add);
        ArrayNode out = PathElement.MAPPER.createArrayNode();
        seen.forEach(v -> out.add(v.deepCopy()));
        return out;
      }
      default -> {
        return config.deepCopy();
      }
    }
  }

  /** A copy of {@code value} without the members of {@code paths} (and what lies below them). */
  public static JsonNode remove(JsonNode value, FieldSet paths, Shape shape) {
    if (value == null || paths.isEmpty()) {
      return value == null ? null : value.deepCopy();
    }
    return removeBelow(value, paths, shape, FieldPath.ROOT);
  }

  private static JsonNode removeBelow(JsonNode value, FieldSet paths, Shape shape, FieldPath at) {
    if (!paths.hasBelow(at) || !shape.fits(value)) {
      return value.deepCopy();
    }
    switch (shape.kind()) {
      case STRUCT, MAP -> {
        ObjectNode out = PathElement.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          FieldPath p = at.child(e.getKey());
          if (!paths.contains(p)) {
            out.set(e.getKey(), removeBelow(e.getValue(), paths, shape.child(e.getKey()), p));
          }
        }
        return out;
      }
      case ASSOCIATIVE -> {
        ArrayNode out = PathElement.MAPPER.createArrayNode();
        for (JsonNode item : value) {
          ObjectNode key = shape.keyOf(item);
          if (key == null) {
            out.add(item.deepCopy());
            continue;
          }
          FieldPath p = at.child(PathElement.key(key));
          if (!paths.contains(p)) {
            out.add(removeBelow(item, paths, shape.item(), p));
          }
        }
        return out;
      }
      case SET -> {
        ArrayNode out = PathElement.MAPPER.createArrayNode();
        for (JsonNode v : value) {
          if (!paths.contains(at.child(PathElement.value(v)))) {
            out.add(v.deepCopy());
          }
        }
        return out;
      }
      default -> {
        return value.deepCopy();
      }
    }
  }

  private static void collect(JsonNode v, Shape shape, FieldPath at, boolean item, List<FieldPath> out) {
    v = present(v);
    if (!structural(v, null, shape)) {
      if (!at.isRoot()) {
        out.add(at);
      }
      return;
    }
    if (item) {
      out.add(at);
    }
    switch (shape.kind()) {
      case STRUCT, MAP -> {
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          collect(e.getValue(), shape.child(e.getKey()), at.child(e.getKey()), false, out);
        }
      }
      case ASSOCIATIVE -> {
        Map<PathElement, JsonNode> items = byKey(v, shape);
        if (items == null) {
          out.add(at);
          return;
        }
        items.forEach((k, i) -> collect(i, shape.item(), at.child(k), true, out));
      }
      case SET -> v.forEach(x -> out.add(at.child(PathElement.value(x))));
      default -> out.add(at);
    }
  }

  private static void compare(JsonNode a, JsonNode b, Shape shape, FieldPath at, boolean item,
      List<FieldPath> added, List<FieldPath> modified, List<FieldPath> removed) {
    if (a == null && b == null) {
      return;
    }
    boolean structural = structural(a, b, shape) && (shape.kind() != Shape.Kind.ASSOCIATIVE
        || (a == null || byKey(a, shape) != null) && (b == null || byKey(b, shape) != null));
    if (!structural) {
      if (a == null) {
        added.add(at);
      } else if (b == null) {
        removed.add(at);
      } else if (!a.equals(b)) {
        modified.add(at);
      }
      return;
    }
    if ((item || shape.kind() == Shape.Kind.MAP) && !at.isRoot()) {
      if (a == null) {
        added.add(at);
      } else if (b == null) {
        removed.add(at);
      }
    }
    switch (shape.kind()) {
      case STRUCT, MAP -> {
        Set<String> names = new LinkedHashSet<>();
        if (a != null) {
          a.fieldNames().forEachRemaining(names::add);
        }
        if (b != null) {
          b.fieldNames().forEachRemaining(names::add);
        }
        for (String n : names) {
          compare(present(a == null ? null : a.get(n)), present(b == null ? null : b.get(n)), shape.child(n),
              at.child(n), false, added, modified, removed);
        }
      }
      case ASSOCIATIVE -> {
        Map<PathElement, JsonNode> ai = a == null ? Map.of() : byKey(a, shape);
        Map<PathElement, JsonNode> bi = b == null ? Map.of() : byKey(b, shape);
        Set<PathElement> keys = new LinkedHashSet<>(ai.keySet());
        keys.addAll(bi.keySet());
        for (PathElement k : keys) {
          compare(ai.get(k), bi.get(k), shape.item(), at.child(k), true, added, modified, removed);
        }
      }
      case SET -> {
        Set<JsonNode> av = new LinkedHashSet<>();
        Set<JsonNode> bv = new LinkedHashSet<>();
        if (a != null) {
          a.forEach(av::add);
        }
        if (b != null) {
          b.forEach(bv::add);
        }
        for (JsonNode v : bv) {
          if (!av.contains(v)) {
            added.add(at.child(PathElement.value(v)));
          }
        }
        for (JsonNode v : av) {
          if (!bv.contains(v)) {
            removed.add(at.child(PathElement.value(v)));
          }
        }
      }
      default -> { }
    }
  }

  /**
   * Whether two values at one position are compared field by field: the shape is not atomic, both
   * (where present) have its structure, and not both are empty.
   */
  private static boolean structural(JsonNode a, JsonNode b, Shape shape) {
    if (shape.kind() == Shape.Kind.ATOMIC) {
      return false;
    }
    if (a != null && !shape.fits(a) || b != null && !shape.fits(b)) {
      return false;
    }
    return a != null && !a.isEmpty() || b != null && !b.isEmpty();
  }

  /**
   * The items of an associative list by key; null when an item has no key or two items share one
   * (then the list is treated as atomic, so that no item is lost).
   */
  private static Map<PathElement, JsonNode> byKey(JsonNode list, Shape shape) {
    Map<PathElement, JsonNode> m = new LinkedHashMap<>();
    for (JsonNode item : list) {
      ObjectNode k = shape.keyOf(item);
      if (k == null || m.put(PathElement.key(k), item) != null) {
        return null;
      }
    }
    return m;
  }

  private static JsonNode present(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n;
  }
}
