package io.kafkube.registry.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A raw HTTP client for endpoint tests: status, content type and JSON exactly as answered. */
public final class RegistryHttp {
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public RegistryHttp(String base) {
    this.base = base;
  }

  /** An answer. */
  public record Answer(int status, String contentType, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray array() {
      return new JsonArray(body);
    }

    public int errorCode() {
      return json().getInteger("error_code");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Answer get(String path) {
    return send("GET", path, null, CONTENT_TYPE);
  }

  public Answer delete(String path) {
    return send("DELETE", path, null, CONTENT_TYPE);
  }

  public Answer post(String path, JsonObject body) {
    return send("POST", path, body.encode(), CONTENT_TYPE);
  }

  public Answer put(String path, JsonObject body) {
    return send("PUT", path, body.encode(), CONTENT_TYPE);
  }

  public Answer send(String method, String path, String body, String contentType) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Accept", CONTENT_TYPE);
    if (body != null) {
      b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A register/lookup body for a schema string. */
  public static JsonObject schemaBody(String schema) {
    return new JsonObject().put("schema", schema);
  }
}
