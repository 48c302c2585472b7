package io.kafkube.api.http;

import io.kafkube.api.ApiException;
import io.kafkube.api.view.StateView;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.resource.ObjectKey;
import io.kafkube.schemas.status.Statuses;
import io.kafkube.store.client.CommandClient;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.apache.avro.generic.GenericRecord;

/**
 * The write path: builds a Command for the store and completes with its answer, on the request's context.
 * A create or an update that is written is answered by its history Change as the view applies it (so a
 * read on this instance that follows the answer sees the write), every other outcome by a Reply: the
 * store writes no Reply for what history already tells ({@link Envelopes.CommandBuilder#replyInHistory}).
 */
public final class Writes {
  /** Refuses a command before it is sent (throwing an ApiException), whichever handler built it. */
  @FunctionalInterface
  public interface Guard {
    void check(RoutingContext ctx, GenericRecord command);
  }

  private final CommandClient client;
  private final Duration timeout;
  private final Guard guard;

  /** @param view the view whose changes answer this client's creates and updates */
  public Writes(CommandClient client, StateView view, Duration timeout, Guard guard) {
    this.client = client;
    this.timeout = timeout;
    this.guard = guard;
    view.onApplied(client::answer);
  }

  /** A command of {@code op} on {@code key} by the request's user, answering on this instance's partition. */
  public Envelopes.CommandBuilder command(Op op, ObjectKey key, User user) {
    return Envelopes.command(op, key.toString(), key.type().groupResource(), user, client.newRequestId())
        .replyPartition(client.replyPartition()).replyInHistory();
  }

  /** Sends a command; fails with a 504 Status when the store does not answer in time. */
  public Future<ReplyView> send(RoutingContext ctx, Envelopes.CommandBuilder command) {
    GenericRecord built = command.build();
    try {
      guard.check(ctx, built);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    CompletableFuture<ReplyView> f = client.send(built, timeout)
        .exceptionallyCompose(e -> {
          Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
              ? e.getCause() : e;
          if (cause instanceof TimeoutException) {
            return CompletableFuture.failedFuture(new ApiException(Statuses.status(504, "Timeout",
                "Timeout: request did not complete within the allotted timeout", null, null, null, List.of())));
          }
          return CompletableFuture.failedFuture(new ApiException(Statuses.internalError(
              "cannot write the command: " + cause.getMessage())));
        });
    return Future.fromCompletionStage(f, ctx.vertx().getOrCreateContext());
  }
}
