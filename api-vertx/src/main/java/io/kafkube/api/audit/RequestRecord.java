package io.kafkube.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.proto.ProtobufBodies;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ResourceType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One API request at one stage: the source of its audit event and, at its last stage
 * ({@code ResponseComplete} or {@code Panic}), of its request log line. {@code resource} is empty for
 * non-resource requests (discovery, {@code /version}, ...). {@code completed} is the stage's time;
 * {@code code} is 0 at {@code RequestReceived} (no response yet). {@code omitManagedFields}: leave
 * {@code metadata.managedFields} out of the recorded objects. {@code message}: at stage Panic, what the
 * handler threw; at another answered stage, the {@code responseStatus} message if there is one (a failed
 * authentication's, which names the credentials that were tried).
 */
public record RequestRecord(String auditId, String username, List<String> groups, String verb, String requestUri,
    String apiGroup, String apiVersion, String resource, String subresource, String namespace, String name,
    int code, Instant received, Instant completed, List<String> sourceIps, String userAgent,
    AuditPolicy.Level level, Bodies bodies, AuditPolicy.Stage stage, boolean omitManagedFields, String message) {
  /**
   * What a Request or RequestResponse level records besides the metadata: the request body as sent
   * (with its Content-Type, and the kind it was sent for, to decode protobuf) and the response body;
   * turned into JSON only when the event is made, off the event loop.
   */
  public record Bodies(byte[] request, String contentType, ResourceType type, byte[] response) {}

  static final ObjectMapper M = new ObjectMapper();
  /** kube's audit timestamps: RFC 3339 with microseconds, UTC. */
  static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
      .withZone(ZoneOffset.UTC);

  public RequestRecord {
    groups = groups == null ? List.of() : List.copyOf(groups);
    sourceIps = sourceIps == null ? List.of() : List.copyOf(sourceIps);
    level = level == null ? AuditPolicy.Level.Metadata : level;
    stage = stage == null ? AuditPolicy.Stage.ResponseComplete : stage;
  }

  /** A request at stage ResponseComplete. */
  public RequestRecord(String auditId, String username, List<String> groups, String verb, String requestUri,
      String apiGroup, String apiVersion, String resource, String subresource, String namespace, String name,
      int code, Instant received, Instant completed, List<String> sourceIps, String userAgent,
      AuditPolicy.Level level, Bodies bodies) {
    this(auditId, username, groups, verb, requestUri, apiGroup, apiVersion, resource, subresource, namespace, name,
        code, received, completed, sourceIps, userAgent, level, bodies, AuditPolicy.Stage.ResponseComplete, false,
        null);
  }

  /** A request recorded at level Metadata. */
  public RequestRecord(String auditId, String username, List<String> groups, String verb, String requestUri,
      String apiGroup, String apiVersion, String resource, String subresource, String namespace, String name,
      int code, Instant received, Instant completed, List<String> sourceIps, String userAgent) {
    this(auditId, username, groups, verb, requestUri, apiGroup, apiVersion, resource, subresource, namespace, name,
        code, received, completed, sourceIps, userAgent, AuditPolicy.Level.Metadata, null);
  }

  public RequestRecord withName(String n) {
    return new RequestRecord(auditId, username, groups, verb, requestUri, apiGroup, apiVersion, resource, subresource,
        namespace, n, code, received, completed, sourceIps, userAgent, level, bodies, stage, omitManagedFields, message);
  }

  /**
   * This request at another stage: its code and time then, at {@code level}, with these bodies and this
   * {@link #message} (null: none).
   */
  public RequestRecord at(AuditPolicy.Stage s, int c, Instant when, AuditPolicy.Level l, Bodies b, boolean omitManaged,
      String msg) {
    return new RequestRecord(auditId, username, groups, verb, requestUri, apiGroup, apiVersion, resource, subresource,
        namespace, name, c, received, when, sourceIps, userAgent, l, b, s, omitManaged, msg);
  }

  /** Whether this is the request's last stage (the one its request log line is written for). */
  public boolean last() {
    return stage == AuditPolicy.Stage.ResponseComplete || stage == AuditPolicy.Stage.Panic;
  }

  /** Whether this request becomes an audit event (level None: only its request log line). */
  public boolean audited() {
    return level != AuditPolicy.Level.None;
  }

  public long latencyMillis() {
    return java.time.Duration.between(received, completed).toMillis();
  }

  /**
   * The {@code audit.k8s.io/v1} Event at the record's stage and level: Request adds
   * {@code requestObject}, RequestResponse also {@code responseObject} (bodies that are not JSON, YAML
   * or Kubernetes protobuf are left out, as kube leaves out what it cannot convert), both without
   * {@code metadata.managedFields} when {@link #omitManagedFields}. RequestReceived has no
   * {@code responseStatus}; Panic has kube's 500 {@code InternalError} status; another stage has its code,
   * and its {@link #message} when there is one.
   */
  public ObjectNode toEvent() {
    ObjectNode e = M.createObjectNode();
    e.put("kind", "Event");
    e.put("apiVersion", "audit.k8s.io/v1");
    e.put("level", level.name());
    e.put("auditID", auditId);
    e.put("stage", stage.name());
    e.put("requestURI", requestUri);
    e.put("verb", verb);
    ObjectNode user = e.putObject("user");
    if (username != null) {
      user.put("username", username);
    }
    if (!groups.isEmpty()) {
      ArrayNode g = user.putArray("groups");
      groups.forEach(g::add);
    }
    ArrayNode ips = e.putArray("sourceIPs");
    sourceIps.forEach(ips::add);
    if (userAgent != null) {
      e.put("userAgent", userAgent);
    }
    if (!resource.isEmpty()) {
      ObjectNode ref = e.putObject("objectRef");
      ref.put("resource", resource);
      if (!namespace.isEmpty()) {
        ref.put("namespace", namespace);
      }
      if (name != null && !name.isEmpty()) {
        ref.put("name", name);
      }
      if (!apiGroup.isEmpty()) {
        ref.put("apiGroup", apiGroup);
      }
      ref.put("apiVersion", apiVersion);
      if (!subresource.isEmpty()) {
        ref.put("subresource", subresource);
      }
    }
    if (bodies != null && level.atLeast(AuditPolicy.Level.Request) && bodies.request() != null
        && bodies.request().length > 0) {
      JsonNode request = json(bodies.request(), bodies.contentType(), bodies.type());
      if (request != null) {
        if (omitManagedFields) {
          withoutManagedFields(request);
        }
        e.set("requestObject", request);
      }
    }
    if (bodies != null && level.atLeast(AuditPolicy.Level.RequestResponse) && bodies.response() != null
        && bodies.response().length > 0) {
      JsonNode response = json(bodies.response(), "application/json", null);
      if (response != null) {
        if (omitManagedFields) {
          withoutManagedFields(response);
        }
        e.set("responseObject", response);
      }
    }
    if (stage == AuditPolicy.Stage.Panic) {
      ObjectNode status = e.putObject("responseStatus");
      status.putObject("metadata");
      status.put("status", "Failure");
      status.put("message", "APIServer panic'd: " + (message == null ? "" : message));
      status.put("reason", "InternalError");
      status.put("code", 500);
    } else if (stage != AuditPolicy.Stage.RequestReceived) {
      ObjectNode status = e.putObject("responseStatus");
      status.putObject("metadata");
      if (message != null) {
        status.put("message", message);
      }
      status.put("code", code);
    }
    e.put("requestReceivedTimestamp", MICROS.format(received));
    e.put("stageTimestamp", MICROS.format(completed));
    return e;
  }

  /**
   * Removes {@code metadata.managedFields} from an object, from the items of a list and from the
   * objects of a Table's rows, as kube's audit does for {@code omitManagedFields}.
   */
  static void withoutManagedFields(JsonNode object) {
    dropManagedFields(object);
    if (object.path("items") instanceof ArrayNode items) {
      items.forEach(RequestRecord::dropManagedFields);
    }
    if (object.path("rows") instanceof ArrayNode rows) {
      rows.forEach(row -> dropManagedFields(row.path("object")));
    }
  }

  private static void dropManagedFields(JsonNode object) {
    if (object.path("metadata") instanceof ObjectNode md) {
      md.remove("managedFields");
    }
  }

  private static JsonNode json(byte[] body, String contentType, ResourceType type) {
    try {
      if (contentType != null && contentType.startsWith(ProtobufBodies.CONTENT_TYPE)) {
        return type == null ? null : ProtobufBodies.decode(body, type).json();
      }
      return KubeJson.parse(body).json();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
