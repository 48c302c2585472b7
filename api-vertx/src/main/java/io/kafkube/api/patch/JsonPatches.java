package io.kafkube.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.flipkart.zjsonpatch.JsonPatch;
import com.flipkart.zjsonpatch.JsonPatchApplicationException;

/** JSON patch, RFC 6902 ({@code application/json-patch+json}), through zjsonpatch. */
public final class JsonPatches {
  private JsonPatches() {}

  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isArray()) {
      throw new PatchException("json patch must be an array of operations");
    }
    try {
      JsonPatch.validate(patch);
      return JsonPatch.apply(patch, target);
    } catch (JsonPatchApplicationException e) {
      throw new PatchException(e.getMessage(), e);
    }
  }
}
