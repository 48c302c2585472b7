package io.kafkube.registry.client;

import io.kafkube.registry.internals.Schemas;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A REST client of any Confluent-API schema registry, with {@link java.net.http.HttpClient}.
 * Schemas by id are cached forever (ids are immutable); registrations and lookups are cached per
 * subject and schema. Several base URLs may be given, separated by commas: they are tried in order
 * when one cannot be reached. Thread-safe.
 */
public final class CachedSchemaRegistryClient implements SchemaRegistryClient {
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

  private final List<String> baseUrls;
  private final Duration timeout;
  private final HttpClient http;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final Map<String, Map<Schema, SchemaMetadata>> lookups = new ConcurrentHashMap<>();

  public CachedSchemaRegistryClient(String url) {
    this(url, Duration.ofSeconds(30));
  }

  public CachedSchemaRegistryClient(String url, Duration timeout) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("schema registry url is required");
    }
    this.baseUrls = Arrays.stream(url.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s).toList();
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
  }

  /** The base URLs this client talks to. */
  public List<String> urls() {
    return baseUrls;
  }

  @Override
  public int register(String subject, Schema schema) {
    Map<Schema, Integer> cache = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer cached = cache.get(schema);
    if (cached != null) {
      return cached;
    }
    JsonObject body = new JsonObject().put("schema", schema.toString());
    int id = object(send("POST", "/subjects/" + encode(subject) + "/versions", body)).getInteger("id");
    cache.put(schema, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public Schema getById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonObject answer = object(send("GET", "/schemas/ids/" + id, null));
    Schema schema = Schemas.parse(answer.getString("schema"), answer.getString("schemaType"));
    Schema previous = schemasById.putIfAbsent(id, schema);
    return previous != null ? previous : schema;
  }

  @Override
  public SchemaMetadata getLatest(String subject) {
    return metadata(object(send("GET", "/subjects/" + encode(subject) + "/versions/latest", null)));
  }

  @Override
  public SchemaMetadata getVersion(String subject, int version) {
    return metadata(object(send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null)));
  }

  @Override
  public Optional<SchemaMetadata> lookup(String subject, Schema schema) {
    Map<Schema, SchemaMetadata> cache = lookups.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    SchemaMetadata cached = cache.get(schema);
    if (cached != null) {
      return Optional.of(cached);
    }
    try {
      JsonObject body = new JsonObject().put("schema", schema.toString());
      SchemaMetadata found = metadata(object(send("POST", "/subjects/" + encode(subject), body)));
      cache.put(schema, found);
      return Optional.of(found);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
          || e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public boolean testCompatibility(String subject, Schema schema) {
    JsonObject body = new JsonObject().put("schema", schema.toString());
    try {
      return object(send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", body))
          .getBoolean("is_compatible");
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND) {
        return true;
      }
      throw e;
    }
  }

  @Override
  public List<String> subjects() {
    JsonArray arr = array(send("GET", "/subjects", null));
    List<String> out = new ArrayList<>(arr.size());
    arr.forEach(o -> out.add((String) o));
    return out;
  }

  @Override
  public List<Integer> versions(String subject) {
    return integers(array(send("GET", "/subjects/" + encode(subject) + "/versions", null)));
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    String path = subject == null ? "/config" : "/config/" + encode(subject) + "?defaultToGlobal=true";
    JsonObject answer = object(send("GET", path, null));
    String level = answer.getString("compatibilityLevel", answer.getString("compatibility"));
    return CompatibilityLevel.parse(level)
        .orElseThrow(() -> new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR,
            "unknown compatibility level " + level));
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    String path = subject == null ? "/config" : "/config/" + encode(subject);
    send("PUT", path, new JsonObject().put("compatibility", level.name()));
  }

  @Override
  public List<Integer> deleteSubject(String subject, boolean permanent) {
    String path = "/subjects/" + encode(subject) + (permanent ? "?permanent=true" : "");
    List<Integer> deleted = integers(array(send("DELETE", path, null)));
    idsBySubject.remove(subject);
    lookups.remove(subject);
    return deleted;
  }

  // ---------------------------------------------------------------- HTTP

  private String send(String method, String path, JsonObject body) {
    IOException last = null;
    for (String base : baseUrls) {
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
          .header("Accept", ACCEPT);
      if (body != null) {
        req.header("Content-Type", CONTENT_TYPE)
            .method(method, HttpRequest.BodyPublishers.ofString(body.encode(), StandardCharsets.UTF_8));
      } else {
        req.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> response;
      try {
        response = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        last = e;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(500, SchemaRegistryException.OPERATION_TIMEOUT,
            "interrupted while calling the schema registry", e);
      }
      if (response.statusCode() / 100 == 2) {
        return response.body();
      }
      throw error(response);
    }
    throw new SchemaRegistryException(500, SchemaRegistryException.FORWARDING_ERROR,
        "schema registry unreachable at " + baseUrls + ": " + last, last);
  }

  private static SchemaRegistryException error(HttpResponse<String> response) {
    int code = response.statusCode();
    String message = response.body();
    try {
      JsonObject json = new JsonObject(response.body());
      code = json.getInteger("error_code", code);
      message = json.getString("message", message);
    } catch (DecodeException | ClassCastException e) {
      // not Confluent's error JSON: keep the raw body
    }
    return new SchemaRegistryException(response.statusCode(), code, message);
  }

  private static JsonObject object(String body) {
    return new JsonObject(body);
  }

  private static JsonArray array(String body) {
    return new JsonArray(body);
  }

  private static List<Integer> integers(JsonArray arr) {
    List<Integer> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      out.add(arr.getInteger(i));
    }
    return out;
  }

  private SchemaMetadata metadata(JsonObject json) {
    int id = json.getInteger("id");
    Schema schema = schemasById.computeIfAbsent(id,
        i -> Schemas.parse(json.getString("schema"), json.getString("schemaType")));
    return new SchemaMetadata(json.getString("subject"), json.getInteger("version"), id, schema);
  }

  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
