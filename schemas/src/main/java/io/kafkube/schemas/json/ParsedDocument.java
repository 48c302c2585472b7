package io.kafkube.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A parsed JSON or YAML document and the duplicate keys it contained (each reported with its
 * path; the last value is kept, as Go's decoder does).
 */
public record ParsedDocument(JsonNode json, List<FieldProblem> problems) {
  public ParsedDocument {
    problems = List.copyOf(problems);
  }
}
