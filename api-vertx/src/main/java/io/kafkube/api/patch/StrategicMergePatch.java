package io.kafkube.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Kubernetes' strategic merge patch ({@code application/strategic-merge-patch+json}): a merge patch
 * whose lists are merged by key where {@link PatchMeta} says so (containers by name, ports by
 * containerPort, …), with the directives {@code $patch} (replace, delete, merge),
 * {@code $setElementOrder/<list>}, {@code $retainKeys} and {@code $deleteFromPrimitiveList/<list>}.
 * The Avro schema of the kind tells which record (Go type) each JSON object is. Pure.
 */
public final class StrategicMergePatch {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final String PATCH = "$patch";
  static final String RETAIN_KEYS = "$retainKeys";
  static final String SET_ORDER = "$setElementOrder/";
  static final String DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";

  private StrategicMergePatch() {}

  /** Applies {@code patch} to a copy of {@code original}, an object of the record {@code schema}. */
  public static JsonNode apply(JsonNode original, JsonNode patch, Schema schema) {
    if (!patch.isObject()) {
      throw new PatchException("a strategic merge patch must be a JSON object");
    }
    ObjectNode orig = original != null && original.isObject() ? (ObjectNode) original : F.objectNode();
    ObjectNode out = mergeMap(orig, (ObjectNode) patch, schema);
    return out == null ? F.objectNode() : out;
  }

  /** Returns the merged object, or null when the patch deletes it. */
  private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, Schema schema) {
    JsonNode directive = patch.get(PATCH);
    if (directive != null) {
      switch (directive.asText()) {
        case "replace" -> {
          return mergeMap(F.objectNode(), without(patch, PATCH), schema);
        }
        case "delete" -> {
          return null;
        }
        case "merge" -> patch = without(patch, PATCH);
        default -> throw new PatchException("unknown patch type: " + directive.asText() + " in map: " + patch);
      }
    }
    ObjectNode result = original.deepCopy();
    Map<String, JsonNode> orders = new LinkedHashMap<>();
    JsonNode retain = null;
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (k.equals(RETAIN_KEYS)) {
        if (!v.isArray()) {
          throw new PatchException("$retainKeys must be a list of field names: " + v);
        }
        retain = v;
      } else if (k.startsWith(SET_ORDER)) {
        orders.put(k.substring(SET_ORDER.length()), v);
      } else if (k.startsWith(DELETE_PRIMITIVE)) {
        deleteFromPrimitiveList(result, k.substring(DELETE_PRIMITIVE.length()), v);
      } else if (k.startsWith("$")) {
        throw new PatchException("unknown directive " + k);
      } else if (v.isNull()) {
        result.remove(k);
      } else {
        Schema child = child(schema, k);
        PatchMeta meta = meta(schema, k);
        JsonNode cur = result.get(k);
        if (v.isObject()) {
          ObjectNode merged = mergeMap(cur != null && cur.isObject() ? (ObjectNode) cur : F.objectNode(),
              (ObjectNode) v, child);
          if (merged == null) {
            result.remove(k);
          } else {
            result.set(k, merged);
          }
        } else if (v.isArray()) {
          Schema elem = element(child);
          if (meta != null && meta.merges() && cur != null && cur.isArray()) {
            result.set(k, mergeList((ArrayNode) cur, (ArrayNode) v, elem, meta.mergeKey()));
          } else {
            result.set(k, replaceList((ArrayNode) v, elem));
          }
        } else {
          result.set(k, v.deepCopy());
        }
      }
    }
    for (Map.Entry<String, JsonNode> o : orders.entrySet()) {
      PatchMeta meta = meta(schema, o.getKey());
      order(result, o.getKey(), o.getValue(), meta == null ? null : meta.mergeKey());
    }
    if (retain != null) {
      Set<String> keep = new HashSet<>();
      retain.forEach(n -> keep.add(n.asText()));
      List<String> drop = new ArrayList<>();
      result.fieldNames().forEachRemaining(n -> {
        if (!keep.contains(n)) {
          drop.add(n);
        }
      });
      drop.forEach(result::remove);
    }
    return result;
  }

  private static ArrayNode mergeList(ArrayNode original, ArrayNode patch, Schema elem, String mergeKey) {
    if (mergeKey == null) {
      ArrayNode out = original.deepCopy();
      for (JsonNode p : patch) {
        if (p.isObject() && p.has(PATCH)) {
          if ("replace".equals(p.get(PATCH).asText())) {
            return replaceList(withoutDirectiveElements(patch), elem);
          }
          continue;
        }
        if (!contains(out, p)) {
          out.add(p.deepCopy());
        }
      }
      return out;
    }
    for (JsonNode p : patch) {
      if (p.isObject() && p.has(PATCH) && "replace".equals(p.get(PATCH).asText()) && !p.has(mergeKey)) {
        return replaceList(withoutDirectiveElements(patch), elem);
      }
    }
    ArrayNode out = original.deepCopy();
    for (JsonNode p : patch) {
      if (!p.isObject()) {
        out.add(p.deepCopy());
        continue;
      }
      JsonNode key = p.get(mergeKey);
      if (key == null) {
        throw new PatchException("map: " + p + " does not contain declared merge key: " + mergeKey);
      }
      int at = indexOf(out, mergeKey, key);
      JsonNode directive = p.get(PATCH);
      if (directive != null && "delete".equals(directive.asText())) {
        while (at >= 0) {
          out.remove(at);
          at = indexOf(out, mergeKey, key);
        }
        continue;
      }
      if (at >= 0) {
        ObjectNode merged = mergeMap((ObjectNode) out.get(at), (ObjectNode) p, elem);
        if (merged == null) {
          out.remove(at);
        } else {
          out.set(at, merged);
        }
      } else {
        ObjectNode added = mergeMap(F.objectNode(), (ObjectNode) p, elem);
        if (added != null) {
          out.add(added);
        }
      }
    }
    return out;
  }

  private static ArrayNode replaceList(ArrayNode patch, Schema elem) {
    ArrayNode out = F.arrayNode();
    for (JsonNode p : patch) {
      if (p.isObject()) {
        ObjectNode m = mergeMap(F.objectNode(), (ObjectNode) p, elem);
        if (m != null) {
          out.add(m);
        }
      } else {
        out.add(p.deepCopy());
      }
    }
    return out;
  }

  private static ArrayNode withoutDirectiveElements(ArrayNode patch) {
    ArrayNode out = F.arrayNode();
    for (JsonNode p : patch) {
      if (!(p.isObject() && p.has(PATCH) && p.size() == 1)) {
        out.add(p);
      }
    }
    return out;
  }

  private static void deleteFromPrimitiveList(ObjectNode result, String field, JsonNode values) {
    JsonNode cur = result.get(field);
    if (cur == null || !cur.isArray()) {
      return;
    }
    ArrayNode out = F.arrayNode();
    for (JsonNode n : cur) {
      if (!contains(values, n)) {
        out.add(n);
      }
    }
    result.set(field, out);
  }

  /** Sorts the list {@code field} by {@code order}; elements not named keep their relative order at the end. */
  private static void order(ObjectNode result, String field, JsonNode order, String mergeKey) {
    JsonNode cur = result.get(field);
    if (cur == null || !cur.isArray() || !order.isArray()) {
      return;
    }
    List<JsonNode> items = new ArrayList<>();
    cur.forEach(items::add);
    ArrayNode out = F.arrayNode();
    for (JsonNode o : order) {
      JsonNode key = mergeKey != null && o.isObject() ? o.get(mergeKey) : o;
      for (Iterator<JsonNode> it = items.iterator(); it.hasNext(); ) {
        JsonNode item = it.next();
        JsonNode itemKey = mergeKey != null && item.isObject() ? item.get(mergeKey) : item;
        if (key != null && key.equals(itemKey)) {
          out.add(item);
          it.remove();
          break;
        }
      }
    }
    items.forEach(out::add);
    result.set(field, out);
  }

  private static int indexOf(ArrayNode list, String mergeKey, JsonNode key) {
    for (int i = 0; i < list.size(); i++) {
      JsonNode k = list.get(i).get(mergeKey);
      if (k != null && sameKey(k, key)) {
        return i;
      }
    }
    return -1;
  }

  /** Merge keys compare as values ({@code 80} and {@code "80"} differ only in JSON type). */
  private static boolean sameKey(JsonNode a, JsonNode b) {
    return a.equals(b) || (a.isValueNode() && b.isValueNode() && a.asText().equals(b.asText()));
  }

  private static boolean contains(JsonNode list, JsonNode value) {
    for (JsonNode n : list) {
      if (n.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode without(ObjectNode n, String field) {
    ObjectNode c = n.deepCopy();
    c.remove(field);
    return c;
  }

  private static PatchMeta meta(Schema schema, String field) {
    Schema s = nonNull(schema);
    if (s == null || s.getType() != Schema.Type.RECORD) {
      return null;
    }
    return PatchMeta.of(s.getFullName(), field).orElse(null);
  }

  private static Schema child(Schema schema, String field) {
    Schema s = nonNull(schema);
    if (s == null) {
      return null;
    }
    return switch (s.getType()) {
      case RECORD -> s.getField(field) == null ? null : nonNull(s.getField(field).schema());
      case MAP -> nonNull(s.getValueType());
      default -> null;
    };
  }

  private static Schema element(Schema schema) {
    Schema s = nonNull(schema);
    return s != null && s.getType() == Schema.Type.ARRAY ? nonNull(s.getElementType()) : null;
  }

  private static Schema nonNull(Schema s) {
    if (s == null || s.getType() != Schema.Type.UNION) {
      return s;
    }
    Schema found = null;
    for (Schema t : s.getTypes()) {
      if (t.getType() != Schema.Type.NULL) {
        if (found != null) {
          return null;
        }
        found = t;
      }
    }
    return found;
  }
}
