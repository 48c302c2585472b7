package io.kafkube.registry.internals;

import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Parsing and the canonical form used for de-duplication.
 *
 * <p>The de-duplication key is Avro's own rendering of the parsed schema ({@link Schema#toString()}):
 * whitespace and JSON key order are normalised by the parser, while defaults, docs, aliases and
 * logical types are kept, because they change how data is resolved. Avro's Parsing Canonical Form
 * ({@link org.apache.avro.SchemaNormalization#toParsingForm}) drops defaults, so two schemas that
 * differ only by a default (one compatible evolution step) would share an id; it is used for
 * fingerprints only. Confluent's registry makes the same choice.
 */
public final class Schemas {
  public static final String AVRO = "AVRO";

  private Schemas() {}

  /** Parses a schema of the given type (null means AVRO); 42201 when invalid or not Avro. */
  public static Schema parse(String schema, String schemaType) {
    if (schemaType != null && !schemaType.isBlank() && !AVRO.equals(schemaType.toUpperCase(Locale.ROOT))) {
      throw Errors.invalidSchema("Invalid schema type " + schemaType + ": only AVRO is supported");
    }
    if (schema == null || schema.isBlank()) {
      throw Errors.invalidSchema("Invalid schema: empty");
    }
    try {
      return new Schema.Parser().parse(schema);
    } catch (SchemaParseException | NullPointerException | IllegalArgumentException e) {
      throw Errors.invalidSchema("Invalid schema " + schema + ", details: " + e.getMessage());
    } catch (RuntimeException e) {
      throw Errors.invalidSchema("Invalid schema " + schema + ", details: " + e);
    }
  }

  /** The string a registry stores, returns and de-duplicates on. */
  public static String canonical(Schema schema) {
    return schema.toString();
  }
}
