package io.kafkube.api.auth;

import io.kafkube.api.ApiException;
import io.kafkube.schemas.envelope.User;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Bearer-token authentication against the static token file. Puts the {@link User} into the routing
 * context under {@link #USER}; a request without a valid token fails with 401 {@code Unauthorized}.
 * Phase 1 has no authorization: every authenticated user may do everything.
 */
public final class Authenticator implements Handler<RoutingContext> {
  public static final String USER = "kafkube.user";

  private final TokenFile tokens;

  public Authenticator(TokenFile tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    Optional<User> user = Optional.empty();
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      user = tokens.authenticate(header.substring(7).trim());
    }
    if (user.isEmpty()) {
      ctx.fail(ApiException.of(401, "Unauthorized", "Unauthorized"));
      return;
    }
    ctx.put(USER, user.get());
    ctx.next();
  }
}
