package io.kafkube.agent.event;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.json.Conversion;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kubelet's event recorder: core/v1 Events about pods, from {@code kubelet} on this node, written
 * through the store like every other object. Repeats of the same event (same object, type, reason
 * and message) are aggregated as client-go's correlator does: the first is created, later ones raise
 * {@code count} and {@code lastTimestamp} of the same Event, at most once per {@code window} (the
 * repeats inside a window are folded into one update sent when it ends), so a crash loop or a
 * failing probe does not flood the store.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  public static final ResourceType EVENTS = ResourceRegistry.kubernetes().byGroupResource("events").orElseThrow();
  public static final String COMPONENT = "kubelet";
  static final int MAX_TRACKED = 4096;

  /** Where events go: the store's CREATE and UPDATE commands. */
  public interface Sink {
    void create(String key, GenericRecord event);

    void update(String key, GenericRecord event);
  }

  /** The object an event is about: a pod, and optionally one of its containers ({@code spec.containers{name}}). */
  public record Involved(String kind, String namespace, String name, String uid, String fieldPath) {
    public static Involved pod(String namespace, String name, String uid) {
      return new Involved("Pod", namespace, name, uid, null);
    }

    /** A Node: its events live in the {@code default} namespace, as kubelet records them. */
    public static Involved node(String name, String uid) {
      return new Involved("Node", "default", name, uid == null ? name : uid, null);
    }

    public Involved container(String container, boolean init) {
      return new Involved(kind, namespace, name, uid,
          (init ? "spec.initContainers{" : "spec.containers{") + container + "}");
    }
  }

  private static final class Aggregate {
    final String key;
    final ObjectNode json;
    int count;
    Instant lastSent;
    boolean dirty;
    boolean flushScheduled;

    Aggregate(String key, ObjectNode json) {
      this.key = key;
      this.json = json;
    }
  }

  private final String host;
  private final Sink sink;
  private final ScheduledExecutorService timer;
  private final Clock clock;
  private final Duration window;
  private final Map<String, Aggregate> seen = new LinkedHashMap<>();
  private long seq;

  public EventRecorder(String host, Sink sink, ScheduledExecutorService timer, Clock clock, Duration window) {
    this.host = host;
    this.sink = sink;
    this.timer = timer;
    this.clock = clock;
    this.window = window;
  }

  public void normal(Involved obj, String reason, String message) {
    event(obj, "Normal", reason, message);
  }

  public void warning(Involved obj, String reason, String message) {
    event(obj, "Warning", reason, message);
  }

  /** Records one occurrence: a new Event, or a count raised on the one before. */
  public void event(Involved obj, String type, String reason, String message) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String corr = obj.uid() + "|" + obj.fieldPath() + "|" + type + "|" + reason + "|" + message;
    Aggregate send = null;
    boolean create = false;
    synchronized (seen) {
      Aggregate a = seen.get(corr);
      if (a == null) {
        // client-go's name: <object>.<hex of the time in ns>; a sequence keeps names unique within a millisecond
        String name = obj.name() + "." + Long.toHexString(System.currentTimeMillis() * 1_000_000L + (seq++ % 1_000_000));
        ObjectNode json = json(obj, name, type, reason, message, now);
        a = new Aggregate(EVENTS.key(obj.namespace(), name).toString(), json);
        a.count = 1;
        a.lastSent = now;
        seen.put(corr, a);
        evict();
        send = a;
        create = true;
      } else {
        a.count++;
        a.json.put("count", a.count);
        a.json.put("lastTimestamp", now.toString());
        if (Duration.between(a.lastSent, now).compareTo(window) >= 0) {
          a.lastSent = now;
          a.dirty = false;
          send = a;
        } else {
          a.dirty = true;
          if (!a.flushScheduled) {
            a.flushScheduled = true;
            Aggregate later = a;
            timer.schedule(() -> flush(later), window.toMillis(), TimeUnit.MILLISECONDS);
          }
        }
      }
    }
    if (send != null) {
      emit(send, create);
    }
  }

  private void flush(Aggregate a) {
    synchronized (seen) {
      a.flushScheduled = false;
      if (!a.dirty) {
        return;
      }
      a.dirty = false;
      a.lastSent = clock.instant();
    }
    emit(a, false);
  }

  private void emit(Aggregate a, boolean create) {
    GenericRecord rec;
    synchronized (seen) {
      Conversion c = KubeJson.toAvro(a.json, KafkubeSchemas.kind(EVENTS));
      if (!c.clean()) {
        LOG.warn("event does not convert: {}", c.problems());
        return;
      }
      rec = c.record();
    }
    try {
      if (create) {
        sink.create(a.key, rec);
      } else {
        sink.update(a.key, rec);
      }
    } catch (RuntimeException e) {
      LOG.warn("event {} not sent: {}", a.key, e.toString());
    }
  }

  private void evict() {
    Iterator<Aggregate> it = seen.values().iterator();
    while (seen.size() > MAX_TRACKED && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  /** Forgets the events of a pod that left the node. */
  public void forget(String podUid) {
    synchronized (seen) {
      seen.keySet().removeIf(k -> k.startsWith(podUid + "|"));
    }
  }

  /** The number of occurrences recorded for an event (tests, diagnostics); 0 when not seen. */
  public int count(Involved obj, String type, String reason, String message) {
    synchronized (seen) {
      Aggregate a = seen.get(obj.uid() + "|" + obj.fieldPath() + "|" + type + "|" + reason + "|" + message);
      return a == null ? 0 : a.count;
    }
  }

  private ObjectNode json(Involved obj, String name, String type, String reason, String message, Instant now) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("apiVersion", "v1");
    root.put("kind", "Event");
    ObjectNode meta = root.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", obj.namespace());
    ObjectNode inv = root.putObject("involvedObject");
    inv.put("apiVersion", "v1");
    inv.put("kind", obj.kind());
    if (obj.kind().equals("Pod")) {
      inv.put("namespace", obj.namespace());
    }
    inv.put("name", obj.name());
    if (obj.uid() != null) {
      inv.put("uid", obj.uid());
    }
    if (obj.fieldPath() != null) {
      inv.put("fieldPath", obj.fieldPath());
    }
    root.put("reason", reason);
    root.put("message", message);
    root.put("type", type);
    ObjectNode src = root.putObject("source");
    src.put("component", COMPONENT);
    src.put("host", host);
    root.put("firstTimestamp", now.toString());
    root.put("lastTimestamp", now.toString());
    root.put("count", 1);
    root.put("reportingComponent", COMPONENT);
    root.put("reportingInstance", host);
    return root;
  }
}
