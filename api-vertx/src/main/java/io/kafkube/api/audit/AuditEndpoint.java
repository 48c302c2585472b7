package io.kafkube.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.ApiException;
import io.kafkube.schemas.topic.TopicCatalog;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /apis/audit.kafkube.io/v1/events?user=&resource=&namespace=&name=&since=&until=&limit=&stage=}:
 * the audit events of {@code kafkube.audit}, filtered, as an {@code audit.k8s.io/v1} EventList: one per
 * request (its latest stage), or with {@code stage=<Stage>} the events of that stage, {@code stage=all}
 * every event. Authorized
 * like a resource: {@code list} of {@code events} in the group {@code audit.kafkube.io}, which only
 * cluster-admin (and whoever an admin binds to such a rule) holds.
 */
public final class AuditEndpoint {
  public static final String PATH = "/apis/audit.kafkube.io/v1/events";

  private final String bootstrapServers;
  private final TopicCatalog topics;

  public AuditEndpoint(String bootstrapServers, TopicCatalog topics) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
  }

  public void list(RoutingContext ctx) {
    AuditQuery q;
    try {
      Instant now = Instant.now();
      String limit = ctx.request().getParam("limit");
      q = new AuditQuery(param(ctx, "user"), param(ctx, "resource"), param(ctx, "namespace"), param(ctx, "name"),
          AuditQuery.parseTime(param(ctx, "since"), now), AuditQuery.parseTime(param(ctx, "until"), now),
          limit == null ? 0 : Integer.parseInt(limit), param(ctx, "stage"));
    } catch (IllegalArgumentException e) {
      ctx.fail(ApiException.badRequest(e.getMessage()));
      return;
    }
    ctx.vertx().executeBlocking(() -> {
      List<JsonNode> events = AuditReader.read(bootstrapServers, topics, q);
      ObjectNode list = RequestRecord.M.createObjectNode();
      list.put("kind", "EventList");
      list.put("apiVersion", "audit.k8s.io/v1");
      list.putObject("metadata");
      ArrayNode items = list.putArray("items");
      events.forEach(items::add);
      return Buffer.buffer(RequestRecord.M.writeValueAsBytes(list));
    }, false).onSuccess(b -> ctx.response().putHeader("Content-Type", "application/json").end(b))
        .onFailure(ctx::fail);
  }

  private static String param(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isEmpty() ? null : v;
  }
}
