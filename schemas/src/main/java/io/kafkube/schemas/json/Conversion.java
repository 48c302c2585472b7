package io.kafkube.schemas.json;

import java.util.List;
import org.apache.avro.generic.GenericData;

/**
 * The result of decoding a document: the record (null only when the document is not a JSON
 * object) and every problem met. Invalid and unknown fields are absent from the record.
 */
public record Conversion(GenericData.Record record, List<FieldProblem> problems) {
  public Conversion {
    problems = List.copyOf(problems);
  }

  /** Whether there were no problems at all. */
  public boolean clean() {
    return problems.isEmpty();
  }
}
