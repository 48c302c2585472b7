package io.kafkube.schemas.json;

import java.util.Objects;

/**
 * One problem found while decoding a Kubernetes JSON/YAML document against a schema.
 *
 * @param path    where, in Kubernetes form: {@code spec.template.spec.containers[0].image},
 *                map entries as {@code metadata.labels[app]}; empty for the document itself
 * @param type    what kind of problem (the API decides per type: strict, warn, ignore)
 * @param message a message in Kubernetes' words, e.g. {@code unknown field "spec.foo"}
 */
public record FieldProblem(String path, Type type, String message) {
  public enum Type {
    /** A field the schema does not have; it is dropped from the record. */
    UNKNOWN_FIELD,
    /** A key that appears twice in one object; the last value wins, as in Go. */
    DUPLICATE_FIELD,
    /** A value of the wrong JSON type or syntax (string for an integer, bad base64, bad quantity,
     *  bad time); the field is left absent. */
    INVALID_TYPE,
    /** {@code apiVersion} or {@code kind} of the document does not match the schema's kind. */
    INVALID_VALUE
  }

  public FieldProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return type + " " + (path.isEmpty() ? "<document>" : path) + ": " + message;
  }
}
