package io.kafkube.api.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What one API request was, once answered: the source of its audit event and of its request log
 * line. {@code resource} is empty for non-resource requests (discovery, {@code /version}, ...).
 */
public record RequestRecord(String auditId, String username, List<String> groups, String verb, String requestUri,
    String apiGroup, String apiVersion, String resource, String subresource, String namespace, String name,
    int code, Instant received, Instant completed, List<String> sourceIps, String userAgent) {
  static final ObjectMapper M = new ObjectMapper();
  /** kube's audit timestamps: RFC 3339 with microseconds, UTC. */
  static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
      .withZone(ZoneOffset.UTC);

  public RequestRecord {
    groups = groups == null ? List.of() : List.copyOf(groups);
    sourceIps = sourceIps == null ? List.of() : List.copyOf(sourceIps);
  }

  public RequestRecord withName(String n) {
    return new RequestRecord(auditId, username, groups, verb, requestUri, apiGroup, apiVersion, resource, subresource,
        namespace, n, code, received, completed, sourceIps, userAgent);
  }

  public long latencyMillis() {
    return java.time.Duration.between(received, completed).toMillis();
  }

  /** The {@code audit.k8s.io/v1} Event at level Metadata, stage ResponseComplete. */
  public ObjectNode toEvent() {
    ObjectNode e = M.createObjectNode();
    e.put("kind", "Event");
    e.put("apiVersion", "audit.k8s.io/v1");
    e.put("level", "Metadata");
    e.put("auditID", auditId);
    e.put("stage", "ResponseComplete");
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
    ObjectNode status = e.putObject("responseStatus");
    status.putObject("metadata");
    status.put("code", code);
    e.put("requestReceivedTimestamp", MICROS.format(received));
    e.put("stageTimestamp", MICROS.format(completed));
    return e;
  }
}
