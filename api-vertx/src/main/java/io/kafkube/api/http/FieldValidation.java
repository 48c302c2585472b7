package io.kafkube.api.http;

import io.kafkube.api.ApiException;
import io.kafkube.schemas.json.FieldProblem;
import java.util.ArrayList;
import java.util.List;

/** The {@code fieldValidation} query parameter: what unknown and duplicate fields do to a write. */
public enum FieldValidation {
  /** Refuse the request (400), naming every such field. */
  STRICT,
  /** Accept it, dropping the fields, with one {@code Warning} header each (the default). */
  WARN,
  /** Accept it silently. */
  IGNORE;

  public static FieldValidation parse(String v) {
    if (v == null || v.isEmpty()) {
      return WARN;
    }
    return switch (v) {
      case "Strict" -> STRICT;
      case "Warn" -> WARN;
      case "Ignore" -> IGNORE;
      default -> throw ApiException.badRequest("fieldValidation must be one of Ignore, Warn or Strict, got " + v);
    };
  }

  /**
   * Applies this mode to the problems of a decoded body: type errors are always a 400; unknown and
   * duplicate fields depend on the mode. Returns the warnings to send.
   */
  public List<String> check(List<FieldProblem> problems) {
    List<String> invalid = new ArrayList<>();
    List<String> fieldProblems = new ArrayList<>();
    for (FieldProblem p : problems) {
      switch (p.type()) {
        case UNKNOWN_FIELD, DUPLICATE_FIELD -> fieldProblems.add(p.message());
        case INVALID_TYPE, INVALID_VALUE -> invalid.add(p.message());
      }
    }
    if (!invalid.isEmpty()) {
      throw ApiException.badRequest("error decoding the request body: " + String.join(", ", invalid));
    }
    if (fieldProblems.isEmpty() || this == IGNORE) {
      return List.of();
    }
    if (this == STRICT) {
      throw ApiException.badRequest("strict decoding error: " + String.join(", ", fieldProblems));
    }
    return fieldProblems;
  }
}
