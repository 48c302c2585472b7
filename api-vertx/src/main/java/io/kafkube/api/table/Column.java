package io.kafkube.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/**
 * One column of a kind's table: header, type, whether it shows only with {@code -o wide}
 * (priority 1), and how the cell is computed from the object's Kubernetes JSON.
 */
public record Column(String name, String type, String format, int priority, String description,
    Function<JsonNode, Object> cell) {

  static Column of(String name, Function<JsonNode, Object> cell) {
    return new Column(name, "string", "", 0, name, cell);
  }

  static Column wide(String name, Function<JsonNode, Object> cell) {
    return new Column(name, "string", "", 1, name, cell);
  }

  static Column integer(String name, Function<JsonNode, Object> cell) {
    return new Column(name, "integer", "", 0, name, cell);
  }
}
