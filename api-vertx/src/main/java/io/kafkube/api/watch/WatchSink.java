package io.kafkube.api.watch;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;

/**
 * Where a watch's events go. kube-apiserver serves a watch either as a chunked HTTP response of
 * newline-delimited JSON events (kubectl, client-go, the Python client) or, when the request asks for a
 * WebSocket upgrade, as one JSON event per text message (the fabric8 client, browsers).
 */
public interface WatchSink {
  /** Sends what precedes the first event (the response headers); idempotent. */
  void open();

  /** One event, {@code {"type":…,"object":…}}. */
  void event(Buffer json);

  /** Ends the watch from the server's side; idempotent. */
  void end();

  /** Runs {@code action} when the client goes or the connection fails. */
  void onClose(Runnable action);

  /** Whether a request asks for a WebSocket upgrade (a watch served as {@link #webSocket}). */
  static boolean isUpgrade(HttpServerRequest request) {
    return "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
  }

  static WatchSink chunked(HttpServerResponse response) {
    return new WatchSink() {
      @Override
      public void open() {
        if (response.headWritten()) {
          return;
        }
        response.setStatusCode(200);
        response.putHeader("Content-Type", "application/json");
        response.putHeader("Cache-Control", "no-cache, private");
        response.setChunked(true);
        response.writeHead();
      }

      @Override
      public void event(Buffer json) {
        response.write(json.copy().appendString("\n"));
      }

      @Override
      public void end() {
        if (!response.ended() && !response.closed()) {
          response.end();
        }
      }

      @Override
      public void onClose(Runnable action) {
        response.closeHandler(v -> action.run());
        response.exceptionHandler(e -> action.run());
      }
    };
  }

  /** A WebSocket's sink; {@code closed} runs when the socket closes, whatever else does. */
  static WatchSink webSocket(ServerWebSocket socket, Runnable closed) {
    Runnable[] onClose = {null};
    socket.closeHandler(v -> {
      if (onClose[0] != null) {
        onClose[0].run();
      }
      closed.run();
    });
    return new WatchSink() {
      @Override
      public void open() {}

      @Override
      public void event(Buffer json) {
        socket.writeTextMessage(json.toString());
      }

      @Override
      public void end() {
        if (!socket.isClosed()) {
          socket.close();
        }
      }

      @Override
      public void onClose(Runnable action) {
        onClose[0] = action;
        socket.exceptionHandler(e -> action.run());
      }
    };
  }
}
