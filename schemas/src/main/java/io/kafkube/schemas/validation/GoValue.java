package io.kafkube.schemas.validation;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bad value that Kubernetes prints with Go's {@code %#v} (structs, maps, slices), kept as the
 * exact text, and the formatting of {@link FieldError#badValue()} as Kubernetes 1.32's
 * {@code field.Error.ErrorBody()} does: numbers and booleans plain, strings quoted ({@code %q}),
 * {@code null} for nil, maps and string slices in Go syntax with sorted keys.
 */
public final class GoValue {
  /** The value of errors that print none (Kubernetes' {@code omitValue}). */
  static final GoValue OMITTED = new GoValue("<omitted>");

  private final String text;

  private GoValue(String text) {
    this.text = text;
  }

  /** A value printed verbatim, e.g. {@code core.PodTemplateSpec{...}}. */
  public static GoValue literal(String goSyntax) {
    return new GoValue(goSyntax);
  }

  /** How Kubernetes prints an {@code intstr.IntOrString}: {@code intstr.IntOrString{Type:1, IntVal:0, StrVal:"25%"}}. */
  public static GoValue intOrString(Object v) {
    if (v instanceof Number n) {
      return new GoValue("intstr.IntOrString{Type:0, IntVal:" + n.intValue() + ", StrVal:\"\"}");
    }
    String s = v == null ? "" : v.toString();
    return new GoValue("intstr.IntOrString{Type:1, IntVal:0, StrVal:" + quote(s) + "}");
  }

  /** {@code map[string]string{"a":"b"}}, {@code map[string]string(nil)} for null. */
  public static String stringMap(Map<String, String> m) {
    if (m == null) {
      return "map[string]string(nil)";
    }
    StringBuilder sb = new StringBuilder("map[string]string{");
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(m).entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
    }
    return sb.append('}').toString();
  }

  /** {@code []string{"a", "b"}}, {@code []string(nil)} for null. */
  public static String stringSlice(Collection<?> list) {
    if (list == null) {
      return "[]string(nil)";
    }
    StringBuilder sb = new StringBuilder("[]string{");
    boolean first = true;
    for (Object o : list) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(quote(String.valueOf(o)));
    }
    return sb.append('}').toString();
  }

  /** The text Kubernetes prints for a bad value. */
  @SuppressWarnings("unchecked")
  static String format(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof GoValue g) {
      return g.text;
    }
    if (v instanceof CharSequence s) {
      return quote(s.toString());
    }
    if (v instanceof Double d) {
      return formatFloat(d);
    }
    if (v instanceof Float f) {
      return formatFloat(f.doubleValue());
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof Map<?, ?> m) {
      TreeMap<String, String> sm = new TreeMap<>();
      m.forEach((k, val) -> sm.put(String.valueOf(k), val == null ? "" : val.toString()));
      return stringMap(sm);
    }
    if (v instanceof Collection<?> c) {
      return stringSlice(c);
    }
    return v.toString();
  }

  private static String formatFloat(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e21) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  /** Go's {@code strconv.Quote}. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    s.codePoints().forEach(cp -> {
      switch (cp) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case 7 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 11 -> sb.append("\\v");
        default -> {
          if (cp < 0x20 || cp == 0x7f) {
            sb.append(String.format("\\x%02x", cp));
          } else if (cp < 0x80 || isPrintable(cp)) {
            sb.appendCodePoint(cp);
          } else if (cp <= 0xffff) {
            sb.append(String.format("\\u%04x", cp));
          } else {
            sb.append(String.format("\\U%08x", cp));
          }
        }
      }
    });
    return sb.append('"').toString();
  }

  private static boolean isPrintable(int cp) {
    int t = Character.getType(cp);
    return t != Character.CONTROL && t != Character.FORMAT && t != Character.PRIVATE_USE
        && t != Character.SURROGATE && t != Character.UNASSIGNED && t != Character.LINE_SEPARATOR
        && t != Character.PARAGRAPH_SEPARATOR && (t != Character.SPACE_SEPARATOR || cp == ' ');
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GoValue g && g.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
