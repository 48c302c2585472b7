package io.kafkube.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small blocking client of one API server's plain-HTTP port, with a bearer token (JDK HttpClient). */
public final class Http {
  public static final ObjectMapper M = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String token;

  public Http(String base, String token) {
    this.base = base;
    this.token = token;
  }

  public Http as(String otherToken) {
    return new Http(base, otherToken);
  }

  /** A reply: HTTP code, body as JSON (null node when empty or not JSON), the raw body. */
  public record Reply(int code, JsonNode body, String raw, java.net.http.HttpHeaders headers) {
    /** {@code details.causes[i].field} of a Status. */
    public String causeField(int i) {
      return body.path("details").path("causes").path(i).path("field").asText(null);
    }
  }

  public Reply get(String path) throws Exception {
    return call("GET", path, null, (byte[]) null);
  }

  public Reply call(String method, String path, String contentType, String body) throws Exception {
    return call(method, path, contentType, body == null ? null : body.replace('\'', '"').getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
  }

  public Reply call(String method, String path, String contentType, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json;
    try {
      json = r.body().isEmpty() ? M.nullNode() : M.readTree(r.body());
    } catch (Exception e) {
      json = M.nullNode();
    }
    return new Reply(r.statusCode(), json, r.body(), r.headers());
  }

  public Reply post(String path, String json) throws Exception {
    return call("POST", path, "application/json", json);
  }

  public Reply put(String path, String json) throws Exception {
    return call("PUT", path, "application/json", json);
  }

  public Reply delete(String path) throws Exception {
    return call("DELETE", path, null, (byte[]) null);
  }
}
