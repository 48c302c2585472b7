package io.kafkube.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code continue} token of a paginated list: the list's resourceVersion and the key of the last
 * object sent, base64url-encoded JSON (opaque to clients, as in Kubernetes). The next page starts
 * after that key in the view as it is when the next page is asked for; that of a LIST at a past
 * point ({@code resourceVersionMatch=Exact}, marked {@code exact}) at that point again.
 */
record ContinueToken(String resourceVersion, String lastKey, boolean exact) {

  ContinueToken(String resourceVersion, String lastKey) {
    this(resourceVersion, lastKey, false);
  }

  /** The token of a LIST at a past point: its next page is rebuilt at the same point, not read from the view. */
  static ContinueToken exact(String resourceVersion, String lastKey) {
    return new ContinueToken(resourceVersion, lastKey, true);
  }

  String encode() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("v", "meta.k8s.io/v1");
    n.put("rv", resourceVersion);
    n.put("start", lastKey);
    if (exact) {
      n.put("match", "Exact");
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
  }

  static ContinueToken decode(String token) {
    if (token == null) {
      return null;
    }
    try {
      JsonNode n = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token));
      if (!n.path("start").isTextual() || !n.path("rv").isTextual()) {
        throw new IOException("missing fields");
      }
      return new ContinueToken(n.path("rv").asText(), n.path("start").asText(),
          "Exact".equals(n.path("match").asText()));
    } catch (IOException | IllegalArgumentException e) {
      throw ApiException.badRequest("continue key is not valid: " + e.getMessage());
    }
  }
}
