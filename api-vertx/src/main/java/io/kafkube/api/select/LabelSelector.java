package io.kafkube.api.select;

import io.kafkube.api.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed label selector in Kubernetes' string syntax: {@code a=b}, {@code a==b}, {@code a!=b},
 * {@code a in (x,y)}, {@code a notin (x,y)}, {@code a} (exists), {@code !a} (does not exist),
 * requirements separated by commas and all required.
 */
public final class LabelSelector {
  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  /** One requirement: key, operator and values. */
  public record Requirement(String key, Operator op, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (op) {
        case EQUALS, IN -> v != null && values.contains(v);
        case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
        case EXISTS -> labels.containsKey(key);
        case DOES_NOT_EXIST -> !labels.containsKey(key);
      };
    }
  }

  public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

  /** Parses a selector; empty or null selects everything. Invalid syntax is a 400. */
  public static LabelSelector parse(String s) {
    if (s == null || s.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> out = new ArrayList<>();
    for (String term : splitTerms(s)) {
      out.add(requirement(term.trim(), s));
    }
    return new LabelSelector(out);
  }

  public boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  public boolean isEverything() {
    return requirements.isEmpty();
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  private static List<String> splitTerms(String s) {
    List<String> terms = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        terms.add(s.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(s.substring(start));
    return terms;
  }

  private static Requirement requirement(String t, String whole) {
    if (t.isEmpty()) {
      throw invalid(whole, "found '', expected: !, identifier, or 'end of string'");
    }
    if (t.startsWith("!")) {
      return new Requirement(key(t.substring(1).trim(), whole), Operator.DOES_NOT_EXIST, Set.of());
    }
    int ne = t.indexOf("!=");
    if (ne > 0) {
      return new Requirement(key(t.substring(0, ne).trim(), whole), Operator.NOT_EQUALS,
          Set.of(value(t.substring(ne + 2).trim(), whole)));
    }
    int eq = t.indexOf('=');
    if (eq > 0) {
      String v = t.substring(eq + 1);
      if (v.startsWith("=")) {
        v = v.substring(1);
      }
      return new Requirement(key(t.substring(0, eq).trim(), whole), Operator.EQUALS, Set.of(value(v.trim(), whole)));
    }
    String[] words = t.split("\\s+", 2);
    if (words.length == 2) {
      String rest = words[1].trim();
      Operator op;
      if (rest.startsWith("notin")) {
        op = Operator.NOT_IN;
        rest = rest.substring(5).trim();
      } else if (rest.startsWith("in")) {
        op = Operator.IN;
        rest = rest.substring(2).trim();
      } else {
        throw invalid(whole, "found '" + rest + "', expected: in, notin, =, ==, !=");
      }
      if (!rest.startsWith("(") || !rest.endsWith(")")) {
        throw invalid(whole, "found '" + rest + "', expected: '('");
      }
      Set<String> values = new LinkedHashSet<>();
      for (String v : rest.substring(1, rest.length() - 1).split(",")) {
        values.add(value(v.trim(), whole));
      }
      return new Requirement(key(words[0], whole), op, values);
    }
    return new Requirement(key(t, whole), Operator.EXISTS, Set.of());
  }

  private static String key(String k, String whole) {
    if (!k.matches("([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")
        || k.length() > 316) {
      throw invalid(whole, "invalid label key \"" + k + "\": name part must consist of alphanumeric characters, "
          + "'-', '_' or '.', and must start and end with an alphanumeric character");
    }
    return k;
  }

  private static String value(String v, String whole) {
    if (!v.isEmpty() && (!v.matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?") || v.length() > 63)) {
      throw invalid(whole, "invalid label value: \"" + v + "\": a valid label must be an empty string or consist of "
          + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
    }
    return v;
  }

  private static ApiException invalid(String whole, String detail) {
    return ApiException.badRequest("unable to parse requirement: " + detail);
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (Requirement r : requirements) {
      parts.add(switch (r.op()) {
        case EQUALS -> r.key() + "=" + r.values().iterator().next();
        case NOT_EQUALS -> r.key() + "!=" + r.values().iterator().next();
        case IN -> r.key() + " in (" + String.join(",", r.values()) + ")";
        case NOT_IN -> r.key() + " notin (" + String.join(",", r.values()) + ")";
        case EXISTS -> r.key();
        case DOES_NOT_EXIST -> "!" + r.key();
      });
    }
    return String.join(",", parts);
  }
}
