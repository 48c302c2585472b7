package io.kafkube.api.auth;

import io.kafkube.api.ApiException;
import io.kafkube.api.view.StateView;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceType;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;

/**
 * Bearer-token authentication: the static token file first, then ServiceAccount tokens (a valid
 * signature and lifetime, and the ServiceAccount must still exist with the uid the token names; a
 * ServiceAccount not in the view yet is looked for again once the view has caught up). Puts the
 * {@link User} into the routing context under {@link #USER}; a request without a valid token fails
 * with 401 {@code Unauthorized}, marked {@link #FAILED} (kube audits it as a failed authentication).
 */
public final class Authenticator implements Handler<RoutingContext> {
  public static final String USER = "kafkube.user";
  /** Set in the routing context of a request whose authentication failed (answered 401). */
  public static final String FAILED = "kafkube.authentication-failed";
  public static final String SERVICE_ACCOUNTS = "system:serviceaccounts";
  public static final String AUTHENTICATED = "system:authenticated";

  private final TokenFile tokens;
  private final ServiceAccountTokens serviceAccountTokens;
  private final StateView view;
  private final ResourceType serviceAccounts;

  public Authenticator(TokenFile tokens, ServiceAccountTokens serviceAccountTokens, StateView view) {
    this.tokens = tokens;
    this.serviceAccountTokens = serviceAccountTokens;
    this.view = view;
    this.serviceAccounts = view.registry().byGroupResource("serviceaccounts").orElseThrow();
  }

  /** The user of a ServiceAccount, in the groups Kubernetes gives it. */
  public static User serviceAccountUser(String namespace, String name, String uid) {
    return new User("system:serviceaccount:" + namespace + ":" + name,
        List.of(SERVICE_ACCOUNTS, SERVICE_ACCOUNTS + ":" + namespace, AUTHENTICATED), uid);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    Optional<User> user = tokens.authenticate(token);
    if (user.isPresent()) {
      proceed(ctx, user.get());
      return;
    }
    Optional<ServiceAccountTokens.Claims> claims = token.isEmpty() ? Optional.empty()
        : serviceAccountTokens.verify(token);
    if (claims.isEmpty()) {
      unauthorized(ctx);
      return;
    }
    ServiceAccountTokens.Claims c = claims.get();
    if (serviceAccountMatches(c)) {
      proceed(ctx, serviceAccountUser(c.namespace(), c.name(), c.uid()));
      return;
    }
    Future.fromCompletionStage(view.sync(), ctx.vertx().getOrCreateContext()).onComplete(v -> {
      if (v.succeeded() && serviceAccountMatches(c)) {
        proceed(ctx, serviceAccountUser(c.namespace(), c.name(), c.uid()));
      } else {
        unauthorized(ctx);
      }
    });
  }

  private boolean serviceAccountMatches(ServiceAccountTokens.Claims c) {
    GenericRecord sa = view.get(serviceAccounts.key(c.namespace(), c.name()));
    return sa != null && c.uid().equals(Meta.uid(sa)) && Meta.deletionTimestamp(sa) == null;
  }

  private static void proceed(RoutingContext ctx, User user) {
    ctx.put(USER, user);
    ctx.next();
  }

  private static void unauthorized(RoutingContext ctx) {
    ctx.put(FAILED, Boolean.TRUE);
    ctx.fail(ApiException.of(401, "Unauthorized", "Unauthorized"));
  }
}
