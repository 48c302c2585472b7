package io.kafkube.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.ApiException;
import io.kafkube.api.auth.ServiceAccountTokens;
import io.kafkube.api.view.StateView;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.status.Statuses;
import io.kubernetes.client.proto.V1Authentication;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * TokenRequest, {@code POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token}
 * ({@code authentication.k8s.io/v1}): a signed token for an existing ServiceAccount, valid for
 * {@code spec.expirationSeconds} (default 3600, at least 600) and {@code spec.audiences} (default the
 * API server's). What {@code kubectl create token} calls.
 */
public final class TokenRequests {
  static final long DEFAULT_SECONDS = 3600;
  static final long MIN_SECONDS = 600;
  static final long MAX_SECONDS = 1L << 32;

  private final ServiceAccountTokens tokens;
  private final StateView view;
  private final Clock clock;

  public TokenRequests(ServiceAccountTokens tokens, StateView view, Clock clock) {
    this.tokens = tokens;
    this.view = view;
    this.clock = clock;
  }

  void create(RoutingContext ctx) {
    RequestInfo ri = ResourceHandlers.info(ctx);
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    JsonNode request = body.length == 0 ? Json.MAPPER.createObjectNode()
        : Bodies.parse(body, Params.contentType(ctx), V1Authentication.TokenRequest.getDescriptor());
    JsonNode spec = request.path("spec");
    long seconds = spec.path("expirationSeconds").asLong(DEFAULT_SECONDS);
    if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
      throw invalid(ri, "spec.expirationSeconds: Invalid value: " + seconds + ": "
          + (seconds < MIN_SECONDS ? "may not specify a duration less than 10 minutes"
              : "may not specify a duration larger than 2^32 seconds"));
    }
    if (spec.path("boundObjectRef").isObject() && spec.path("boundObjectRef").size() > 0) {
      throw invalid(ri, "spec.boundObjectRef: Unsupported value: tokens bound to objects are not supported");
    }
    List<String> audiences = new ArrayList<>();
    spec.path("audiences").forEach(a -> audiences.add(a.asText()));
    List<String> aud = audiences.isEmpty() ? ServiceAccountTokens.API_AUDIENCES : audiences;
    Future.fromCompletionStage(view.sync(), ctx.vertx().getOrCreateContext()).map(v -> {
      GenericRecord sa = view.get(ri.key());
      if (sa == null || Meta.deletionTimestamp(sa) != null) {
        throw new ApiException(Statuses.notFound(ri.type(), ri.name()));
      }
      ServiceAccountTokens.Issued issued = tokens.issue(ri.namespace(), ri.name(), Meta.uid(sa), aud,
          Duration.ofSeconds(seconds));
      return answer(ri, aud, seconds, issued);
    }).onSuccess(n -> ResourceHandlers.respond(ctx, 201, n, List.of())).onFailure(ctx::fail);
  }

  private ObjectNode answer(RequestInfo ri, List<String> aud, long seconds, ServiceAccountTokens.Issued issued) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("kind", "TokenRequest");
    out.put("apiVersion", "authentication.k8s.io/v1");
    ObjectNode md = out.putObject("metadata");
    md.put("name", ri.name());
    md.put("namespace", ri.namespace());
    md.put("creationTimestamp", DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)));
    ObjectNode spec = out.putObject("spec");
    ArrayNode a = spec.putArray("audiences");
    aud.forEach(a::add);
    spec.put("expirationSeconds", seconds);
    ObjectNode status = out.putObject("status");
    status.put("token", issued.token());
    status.put("expirationTimestamp",
        DateTimeFormatter.ISO_INSTANT.format(issued.expiration().truncatedTo(ChronoUnit.SECONDS)));
    return out;
  }

  private static ApiException invalid(RequestInfo ri, String message) {
    return ApiException.of(422, "Invalid", "TokenRequest.authentication.k8s.io \"" + ri.name() + "\" is invalid: "
        + message);
  }
}
