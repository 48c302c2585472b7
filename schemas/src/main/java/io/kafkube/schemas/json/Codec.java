package io.kafkube.schemas.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Converts the values of one Avro schema between Kubernetes JSON and Avro generic data. */
interface Codec {
  /**
   * The Avro value of a non-null JSON value, or null after reporting a problem to {@code ctx}
   * (the caller then leaves the field absent).
   */
  Object toAvro(JsonNode json, Context ctx);

  /** The JSON of a non-null Avro value (generic data; strings may be any CharSequence). */
  JsonNode toJson(Object avro);

  /**
   * Writes the JSON of a non-null Avro value: the same text as {@link #toJson}'s tree, without building
   * the tree. The generator must come from an {@code ObjectMapper}'s factory (this default writes the tree).
   */
  default void write(Object avro, JsonGenerator out) throws IOException {
    out.writeTree(toJson(avro));
  }
}
