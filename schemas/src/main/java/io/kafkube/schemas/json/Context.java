package io.kafkube.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The path being converted (rendered only when a problem is reported) and the problems so far. */
final class Context {
  private static final int MAX_VALUE_CHARS = 80;

  private final StringBuilder path = new StringBuilder(64);
  final List<FieldProblem> problems = new ArrayList<>();

  int pushField(String name) {
    int mark = path.length();
    if (mark > 0) {
      path.append('.');
    }
    path.append(name);
    return mark;
  }

  int pushIndex(int index) {
    int mark = path.length();
    path.append('[').append(index).append(']');
    return mark;
  }

  int pushKey(String key) {
    int mark = path.length();
    path.append('[').append(key).append(']');
    return mark;
  }

  void reset(int mark) {
    path.setLength(mark);
  }

  String path() {
    return path.toString();
  }

  void problem(FieldProblem.Type type, String message) {
    problems.add(new FieldProblem(path(), type, message));
  }

  void unknownField() {
    problem(FieldProblem.Type.UNKNOWN_FIELD, "unknown field \"" + path + "\"");
  }

  void duplicateField() {
    problem(FieldProblem.Type.DUPLICATE_FIELD, "duplicate field \"" + path + "\"");
  }

  /** {@code Invalid value: "abc": must be an integer}. */
  void invalid(JsonNode value, String mustBe) {
    problem(FieldProblem.Type.INVALID_TYPE, "Invalid value: " + show(value) + ": must be " + mustBe);
  }

  static String show(JsonNode value) {
    String s = value.toString();
    return s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS) + "...";
  }
}
