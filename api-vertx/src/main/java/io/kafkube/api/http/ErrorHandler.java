package io.kafkube.api.http;

import io.kafkube.api.ApiException;
import io.kafkube.schemas.status.Statuses;
import io.kafkube.schemas.topic.TopicCatalog;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one failure handler: every failure becomes a {@code meta.v1.Status} with its HTTP code. */
final class ErrorHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    GenericRecord status = statusOf(ctx);
    int code = ((Number) status.get("code")).intValue();
    if (code >= 500) {
      LOG.warn("[api {} {}] failed with {}", ctx.request().method(), ctx.request().path(), code, ctx.failure());
    }
    if (ctx.response().headWritten()) {
      ctx.request().connection().close();
      return;
    }
    if (code == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"kafkube\"");
    }
    io.vertx.core.buffer.Buffer body = Json.buffer(Json.status(status));
    io.kafkube.api.audit.AuditHandler.response(ctx, body);
    ctx.response().setStatusCode(code).putHeader("Content-Type", Json.CONTENT_TYPE).end(body);
  }

  private static GenericRecord statusOf(RoutingContext ctx) {
    Throwable f = ctx.failure();
    if (f instanceof ApiException a) {
      return a.status();
    }
    int code = f instanceof HttpException h ? h.getStatusCode() : ctx.statusCode();
    return switch (code) {
      case 401 -> simple(401, "Unauthorized", "Unauthorized");
      case 404 -> simple(404, "NotFound", "the server could not find the requested resource");
      case 405 -> simple(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
      case 413 -> simple(413, "RequestEntityTooLarge", "Request entity too large: limit is "
          + TopicCatalog.MAX_OBJECT_BYTES);
      case 415 -> simple(415, "UnsupportedMediaType", "the body of the request was in an unknown format");
      case 400 -> simple(400, "BadRequest", f == null ? "bad request" : String.valueOf(f.getMessage()));
      default -> Statuses.internalError(f == null ? "status " + code : String.valueOf(f));
    };
  }

  private static GenericRecord simple(int code, String reason, String message) {
    return Statuses.status(code, reason, message, null, null, null, List.of());
  }
}
