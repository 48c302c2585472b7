package io.kafkube.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.api.ApiException;
import io.kafkube.api.patch.JsonPatches;
import io.kafkube.api.patch.MergePatch;
import io.kafkube.api.patch.StrategicMergePatch;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.json.MalformedDocumentException;
import org.apache.avro.Schema;

/**
 * The patch formats, by Content-Type. Server-side apply ({@code application/apply-patch+yaml}) is
 * served by {@link ServerSideApply} on the main resource; on the scale subresource it is a 415.
 */
enum PatchType {
  JSON("application/json-patch+json"),
  MERGE("application/merge-patch+json"),
  STRATEGIC("application/strategic-merge-patch+json");

  private static final String APPLY = "application/apply-patch+yaml";
  private final String contentType;

  PatchType(String contentType) {
    this.contentType = contentType;
  }

  static PatchType of(String contentType) {
    for (PatchType t : values()) {
      if (t.contentType.equals(contentType)) {
        return t;
      }
    }
    String detail = APPLY.equals(contentType) ? "server-side apply to this subresource is not supported by this server; "
        : "";
    throw ApiException.of(415, "UnsupportedMediaType", detail + "the body of the request was in an unknown format - "
        + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
        + "application/strategic-merge-patch+json");
  }

  /** Parses a patch document (JSON, or YAML). */
  static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw ApiException.badRequest("the request body is empty");
    }
    try {
      return KubeJson.parse(body).json();
    } catch (MalformedDocumentException e) {
      throw ApiException.badRequest("error decoding patch: " + e.getMessage());
    }
  }

  /** Applies the patch; {@code schema} (the kind's record, or null) drives strategic merge. */
  JsonNode apply(JsonNode current, JsonNode patch, Schema schema) {
    return switch (this) {
      case JSON -> JsonPatches.apply(current, patch);
      case MERGE -> {
        if (!patch.isObject()) {
          throw new io.kafkube.api.patch.PatchException("a merge patch must be a JSON object");
        }
        yield MergePatch.apply(current, patch);
      }
      case STRATEGIC -> StrategicMergePatch.apply(current, patch, schema);
    };
  }
}
