package io.kafkube.api.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.table.Tables;
import io.kafkube.api.view.Position;
import io.kafkube.api.view.RenderedObjects;
import io.kafkube.api.view.ResourceExpiredException;
import io.kafkube.api.view.StateView;
import io.kafkube.api.view.ViewEvent;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceType;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open watch: {@code {"type":…,"object":…}} events, newline-delimited in a chunked response or one per
 * WebSocket message (see {@link WatchSink}).
 * Changes arrive on the view's thread and are only queued there; they are filtered, rendered and
 * written on the request's Vert.x context. The session ends at its timeout, when the client goes,
 * or when the client reads too slowly to keep up ({@code maxQueued}).
 */
public final class WatchSession {
  private static final Logger LOG = LoggerFactory.getLogger(WatchSession.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the watcher asked for. */
  public record Options(ResourceType type, WatchFilter filter, Tables tables, Tables.Include include,
      boolean bookmarks, boolean sendInitialEvents, Duration timeout, Duration bookmarkInterval, int maxQueued) {}

  /** Where it starts: the current objects, a position, or a revision. */
  public record Start(boolean initial, Position position, long revision) {}

  private final Context context;
  private final WatchSink response;
  private final StateView view;
  private final Options options;
  private final ConcurrentLinkedQueue<ViewEvent> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private AutoCloseable subscription;
  private long timeoutTimer = -1;
  private long bookmarkTimer = -1;
  private volatile String lastRv;

  private WatchSession(Context context, WatchSink response, StateView view, Options options) {
    this.context = context;
    this.response = response;
    this.view = view;
    this.options = options;
  }

  /**
   * Starts a watch on the current context.
   *
   * @throws ResourceExpiredException when {@code start} is older than the view's window (the caller
   *     answers with an ERROR 410 event)
   */
  public static WatchSession start(Context context, WatchSink response, StateView view, Options options,
      Start start) throws ResourceExpiredException {
    WatchSession s = new WatchSession(context, response, view, options);
    s.open(start);
    return s;
  }

  /** Writes the one ERROR event of a watch that cannot start and ends the response. */
  public static void expired(WatchSink response, String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", "Expired");
    status.put("code", 410);
    response.open();
    response.event(event("ERROR", status));
    response.end();
  }

  private void open(Start start) throws ResourceExpiredException {
    StateView.Subscription sub = view.subscribe(options.type(), options.filter().namespace(), options.filter(),
        start.initial(), start.position(), start.revision(), this::offer);
    subscription = sub.handle();
    lastRv = sub.position().encode();
    // Headers go out now, as kube-apiserver flushes them: a client's Watch() call returns on them, and an
    // empty watch must not look like a hanging request.
    response.open();
    response.onClose(this::close);
    for (GenericRecord obj : sub.initial()) {
      if (options.tables() == null) {
        writeRendered("ADDED", RenderedObjects.json(obj));
      } else {
        write("ADDED", KubeJson.toJson(obj));
      }
    }
    if (start.initial() && options.sendInitialEvents() && options.bookmarks()) {
      bookmark(true);
    }
    for (ViewEvent e : sub.backlog()) {
      deliver(e);
    }
    if (!options.timeout().isZero()) {
      timeoutTimer = context.owner().setTimer(options.timeout().toMillis(), id -> close());
    }
    if (options.bookmarks()) {
      bookmarkTimer = context.owner().setPeriodic(options.bookmarkInterval().toMillis(), id -> bookmark(false));
    }
    // Anything queued before this point was rendered as backlog or initial state or is still queued.
    drain();
  }

  private void offer(ViewEvent e) {
    if (closed.get()) {
      return;
    }
    if (queued.incrementAndGet() > options.maxQueued()) {
      LOG.warn("[api-watch {}] the client is too slow; closing its watch", options.type());
      context.runOnContext(v -> close());
      return;
    }
    queue.add(e);
    if (draining.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        draining.set(false);
        drain();
      });
    }
  }

  private void drain() {
    for (ViewEvent e; (e = queue.poll()) != null; ) {
      queued.decrementAndGet();
      if (closed.get()) {
        return;
      }
      deliver(e);
    }
  }

  private void deliver(ViewEvent e) {
    String type = WatchEvents.typeFor(e, options.filter());
    if (type == null) {
      return;
    }
    String rv = Long.toString(e.revision());
    lastRv = rv;
    if (options.tables() == null && rv.equals(Meta.resourceVersion(e.object()))) {
      writeRendered(type, RenderedObjects.json(e.object())); // one rendering for every watcher of the change
      return;
    }
    ObjectNode obj = KubeJson.toJson(e.object());
    obj.withObjectProperty("metadata").put("resourceVersion", rv);
    write(type, obj);
  }

  private void bookmark(boolean initialEventsEnd) {
    if (closed.get()) {
      return;
    }
    ObjectNode obj = JSON.createObjectNode();
    obj.put("kind", options.type().kind());
    obj.put("apiVersion", options.type().apiVersion());
    ObjectNode md = obj.putObject("metadata");
    md.put("resourceVersion", view.position().encode());
    if (initialEventsEnd) {
      md.putObject("annotations").put("k8s.io/initial-events-end", "true");
    }
    writeRaw("BOOKMARK", obj);
  }

  private void write(String type, ObjectNode obj) {
    if (options.tables() != null) {
      ObjectNode table = options.tables().table(options.type().kind(), List.of(obj), options.include(), null, null,
          null);
      writeRaw(type, table);
    } else {
      writeRaw(type, obj);
    }
  }

  /** {@code {"type":…,"object":…}} around an object's rendered JSON, as {@link #event} writes it. */
  private void writeRendered(String type, byte[] object) {
    if (closed.get()) {
      return;
    }
    Buffer b = Buffer.buffer(object.length + type.length() + 24);
    b.appendString("{\"type\":\"").appendString(type).appendString("\",\"object\":").appendBytes(object)
        .appendByte((byte) '}');
    response.event(b);
  }

  private void writeRaw(String type, ObjectNode obj) {
    if (closed.get()) {
      return;
    }
    response.event(event(type, obj));
  }

  private static Buffer event(String type, ObjectNode obj) {
    ObjectNode ev = JSON.createObjectNode();
    ev.put("type", type);
    ev.set("object", obj);
    try {
      return Buffer.buffer(JSON.writeValueAsBytes(ev));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Ends the watch (idempotent). */
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (subscription != null) {
      try {
        subscription.close();
      } catch (Exception e) {
        LOG.debug("[api-watch] unsubscribe failed", e);
      }
    }
    if (timeoutTimer >= 0) {
      context.owner().cancelTimer(timeoutTimer);
    }
    if (bookmarkTimer >= 0) {
      context.owner().cancelTimer(bookmarkTimer);
    }
    response.end();
  }

  /** The resourceVersion of the last event sent (for logs). */
  public String lastResourceVersion() {
    return lastRv;
  }
}
