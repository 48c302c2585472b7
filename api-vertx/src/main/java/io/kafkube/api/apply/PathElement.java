package io.kafkube.api.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * One step of a field path, as structured-merge-diff names it: a field of a struct or map
 * ({@code f:name}), an item of an associative list by its keys ({@code k:{"name":"web"}}), a
 * member of a set ({@code v:"x"}) or an item of an atomic list by position ({@code i:0}).
 * Ordered as structured-merge-diff orders them: fields, then keys, then values, then indexes.
 */
public record PathElement(Type type, String text) implements Comparable<PathElement> {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** The kinds of step, in their sort order. */
  public enum Type { FIELD, KEY, VALUE, INDEX }

  public static PathElement field(String name) {
    return new PathElement(Type.FIELD, name);
  }

  /** An associative-list item: {@code keys} is the object of its key fields (sorted by name here). */
  public static PathElement key(ObjectNode keys) {
    TreeMap<String, JsonNode> sorted = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = keys.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      sorted.put(e.getKey(), e.getValue());
    }
    ObjectNode o = MAPPER.createObjectNode();
    sorted.forEach(o::set);
    return new PathElement(Type.KEY, compact(o));
  }

  public static PathElement value(JsonNode value) {
    return new PathElement(Type.VALUE, compact(value));
  }

  public static PathElement index(int i) {
    return new PathElement(Type.INDEX, Integer.toString(i));
  }

  /** Parses a key of a fieldsV1 document ({@code f:}, {@code k:}, {@code v:} or {@code i:} prefixed). */
  public static PathElement parse(String s) {
    if (s.length() < 2 || s.charAt(1) != ':') {
      throw new IllegalArgumentException("not a fieldsV1 path element: " + s);
    }
    String rest = s.substring(2);
    return switch (s.charAt(0)) {
      case 'f' -> field(rest);
      case 'k' -> {
        JsonNode n = read(rest);
        if (!n.isObject()) {
          throw new IllegalArgumentException("a k: path element must hold a JSON object: " + s);
        }
        yield key((ObjectNode) n);
      }
      case 'v' -> value(read(rest));
      case 'i' -> {
        try {
          yield index(Integer.parseInt(rest));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("an i: path element must hold an integer: " + s, e);
        }
      }
      default -> throw new IllegalArgumentException("not a fieldsV1 path element: " + s);
    };
  }

  /** The key of this element in a fieldsV1 document. */
  public String fieldsV1Key() {
    return switch (type) {
      case FIELD -> "f:" + text;
      case KEY -> "k:" + text;
      case VALUE -> "v:" + text;
      case INDEX -> "i:" + text;
    };
  }

  /** As structured-merge-diff prints a path: {@code .spec}, {@code [name="web"]}, {@code [="x"]}, {@code [0]}. */
  @Override
  public String toString() {
    return switch (type) {
      case FIELD -> "." + text;
      case KEY -> {
        JsonNode n = read(text);
        StringBuilder b = new StringBuilder("[");
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          b.append(e.getKey()).append('=').append(compact(e.getValue()));
          if (it.hasNext()) {
            b.append(',');
          }
        }
        yield b.append(']').toString();
      }
      case VALUE -> "[=" + text + "]";
      case INDEX -> "[" + text + "]";
    };
  }

  @Override
  public int compareTo(PathElement o) {
    int c = type.compareTo(o.type);
    if (c != 0) {
      return c;
    }
    if (type == Type.INDEX) {
      return Integer.compare(Integer.parseInt(text), Integer.parseInt(o.text));
    }
    return text.compareTo(o.text);
  }

  static String compact(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode read(String s) {
    try {
      return MAPPER.readTree(s);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed JSON in a fieldsV1 path element: " + s, e);
    }
  }
}
