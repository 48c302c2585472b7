package io.kafkube.api.http;

import io.kafkube.api.authz.Attributes;
import io.kafkube.api.authz.Forbidden;
import io.kafkube.api.authz.RbacAuthorizer;
import io.kafkube.api.view.StateView;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Authorizes every authenticated request before it is served, with the request's
 * {@link Attributes}. A denial is checked once more after the view has caught up with every
 * acknowledged write (so a RoleBinding just created applies to the next request), then answered
 * with kube-apiserver's 403 Status.
 */
public final class AuthorizationHandler implements Handler<RoutingContext> {
  private final RbacAuthorizer authorizer;
  private final StateView view;

  public AuthorizationHandler(RbacAuthorizer authorizer, StateView view) {
    this.authorizer = authorizer;
    this.view = view;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Attributes a = Attributes.of(ResourceHandlers.user(ctx), ctx.request().method().name(), ctx.request().path(),
        Params.bool(ctx, "watch"), ctx.request().getParam("fieldSelector"));
    if (authorizer.authorize(a).allowed()) {
      ctx.next();
      return;
    }
    Future.fromCompletionStage(view.sync(), ctx.vertx().getOrCreateContext()).onComplete(v -> {
      if (authorizer.authorize(a).allowed()) {
        ctx.next();
      } else {
        ctx.fail(Forbidden.of(a));
      }
    });
  }
}
