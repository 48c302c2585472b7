package io.kafkube.registry.client;

import java.util.Objects;
import org.apache.avro.Schema;

/** One version of a subject: the answer of "latest", "version n" and lookups. */
public record SchemaMetadata(String subject, int version, int id, Schema schema) {
  public SchemaMetadata {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
  }
}
