package io.kafkube.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.api.ApiException;
import io.kafkube.api.authz.AccessReviews;
import io.kafkube.api.authz.RbacAuthorizer;
import io.kafkube.api.view.StateView;
import io.kafkube.schemas.envelope.User;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;

/**
 * {@code POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews} and
 * {@code .../selfsubjectrulesreviews}: the requesting user's own access, answered by the
 * authorizer after the view has caught up; {@code POST /apis/authentication.k8s.io/v1/selfsubjectreviews}:
 * who the requesting user is. JSON, YAML or protobuf bodies, as kubectl sends them.
 */
public final class ReviewHandlers {
  public static final String SELF_REVIEWS = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
  public static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
  public static final String RULES_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

  private final RbacAuthorizer authorizer;
  private final StateView view;
  private final Clock clock;

  public ReviewHandlers(RbacAuthorizer authorizer, StateView view, Clock clock) {
    this.authorizer = authorizer;
    this.view = view;
    this.clock = clock;
  }

  void selfReview(RoutingContext ctx) {
    JsonNode review = body(ctx, V1Authentication.SelfSubjectReview.getDescriptor(), AccessReviews.SELF_REVIEW);
    ResourceHandlers.respond(ctx, 201, AccessReviews.selfReview(review, ResourceHandlers.user(ctx), clock.instant()),
        List.of());
  }

  void accessReview(RoutingContext ctx) {
    JsonNode review = body(ctx, V1Authorization.SelfSubjectAccessReview.getDescriptor(), AccessReviews.ACCESS_REVIEW);
    User user = ResourceHandlers.user(ctx);
    var attributes = invalidIfBad(() -> AccessReviews.attributes(user, review), AccessReviews.ACCESS_REVIEW);
    synced(ctx).map(v -> AccessReviews.accessReview(review, authorizer.authorize(attributes)))
        .onSuccess(n -> ResourceHandlers.respond(ctx, 201, n, List.of()))
        .onFailure(ctx::fail);
  }

  void rulesReview(RoutingContext ctx) {
    JsonNode review = body(ctx, V1Authorization.SelfSubjectRulesReview.getDescriptor(), AccessReviews.RULES_REVIEW);
    User user = ResourceHandlers.user(ctx);
    String ns;
    try {
      ns = AccessReviews.namespace(review);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    synced(ctx).map(v -> AccessReviews.rulesReview(review, authorizer.rules(user, ns)))
        .onSuccess(n -> ResourceHandlers.respond(ctx, 201, n, List.of()))
        .onFailure(ctx::fail);
  }

  private Future<Void> synced(RoutingContext ctx) {
    return Future.fromCompletionStage(view.sync(), ctx.vertx().getOrCreateContext());
  }

  private static JsonNode body(RoutingContext ctx, com.google.protobuf.Descriptors.Descriptor message, String kind) {
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    JsonNode n = Bodies.parse(body, Params.contentType(ctx), message);
    if (!n.isObject()) {
      throw ApiException.badRequest("the request body must be a JSON object of kind " + kind);
    }
    String k = n.path("kind").asText("");
    if (!k.isEmpty() && !k.equals(kind)) {
      throw ApiException.badRequest("the body is a " + k + ", not a " + kind);
    }
    return n;
  }

  private static <T> T invalidIfBad(java.util.function.Supplier<T> s, String kind) {
    try {
      return s.get();
    } catch (IllegalArgumentException e) {
      throw ApiException.of(422, "Invalid", kind + ".authorization.k8s.io \"\" is invalid: " + e.getMessage());
    }
  }
}
