package io.kafkube.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.ApiException;
import io.kafkube.api.proto.ProtobufBodies;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.json.Conversion;
import io.kafkube.schemas.json.FieldProblem;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.json.MalformedDocumentException;
import io.kafkube.schemas.json.ParsedDocument;
import io.kafkube.schemas.resource.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericRecord;

/**
 * Request bodies: JSON, YAML or Kubernetes protobuf in, a kind record out, with the field problems
 * judged by {@link FieldValidation}.
 */
public final class Bodies {
  private Bodies() {}

  /** A decoded body and the warnings to send with the answer. */
  public record Decoded(GenericRecord record, List<String> warnings) {}

  /** A parsed document and the duplicate keys it had. */
  public record Parsed(JsonNode json, List<FieldProblem> problems) {}

  /** Parses a JSON, YAML or protobuf body (by Content-Type) into Kubernetes JSON. */
  public static Parsed parse(byte[] body, String contentType, ResourceType type) {
    if (body == null || body.length == 0) {
      throw ApiException.badRequest("the request body is empty");
    }
    String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (ct.startsWith(ProtobufBodies.CONTENT_TYPE)) {
      try {
        return new Parsed(ProtobufBodies.decode(body, type).json(), List.of());
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(e.getMessage());
      }
    }
    try {
      ParsedDocument doc = KubeJson.parse(body);
      return new Parsed(doc.json(), doc.problems());
    } catch (MalformedDocumentException e) {
      throw ApiException.badRequest("the request body is not valid JSON or YAML: " + e.getMessage());
    }
  }

  /**
   * Parses a JSON, YAML or protobuf body of a kind that is not stored (a review, a TokenRequest),
   * protobuf being decoded as {@code message}.
   */
  public static JsonNode parse(byte[] body, String contentType, com.google.protobuf.Descriptors.Descriptor message) {
    if (body == null || body.length == 0) {
      throw ApiException.badRequest("the request body is empty");
    }
    String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    try {
      if (ct.startsWith(ProtobufBodies.CONTENT_TYPE)) {
        return ProtobufBodies.decode(body, message).json();
      }
      return KubeJson.parse(body).json();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("the request body cannot be decoded: " + e.getMessage());
    }
  }

  /** Decodes a body into an object of {@code type}. */
  public static Decoded decode(byte[] body, String contentType, ResourceType type, FieldValidation validation) {
    Parsed p = parse(body, contentType, type);
    return toRecord(p.json(), p.problems(), type, validation);
  }

  /** Converts Kubernetes JSON into an object of {@code type}. */
  public static Decoded toRecord(JsonNode json, List<FieldProblem> earlier, ResourceType type,
      FieldValidation validation) {
    if (json == null || !json.isObject()) {
      throw ApiException.badRequest("the request body must be a JSON object of kind " + type.kind());
    }
    Conversion c = KubeJson.toAvro(json, KafkubeSchemas.kind(type));
    List<FieldProblem> all = new ArrayList<>(earlier);
    all.addAll(c.problems());
    List<String> warnings = validation.check(all);
    return new Decoded(c.record(), warnings);
  }

  /** The JSON object of a DeleteOptions body, or an empty object. */
  public static ObjectNode options(byte[] body) {
    if (body == null || body.length == 0) {
      return Json.MAPPER.createObjectNode();
    }
    try {
      JsonNode n = KubeJson.parse(body).json();
      if (!n.isObject()) {
        throw ApiException.badRequest("DeleteOptions must be a JSON object");
      }
      return (ObjectNode) n;
    } catch (MalformedDocumentException e) {
      throw ApiException.badRequest("the request body is not valid JSON: " + e.getMessage());
    }
  }
}
