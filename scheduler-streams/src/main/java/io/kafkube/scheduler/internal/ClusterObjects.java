package io.kafkube.scheduler.internal;

import io.kafkube.scheduler.framework.Namespaces;
import io.kafkube.scheduler.framework.Volumes;
import io.kafkube.scheduler.framework.Workloads;
import io.kafkube.schemas.meta.Meta;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The objects the plugins consult but never schedule: Namespaces (their labels, for namespace
 * selectors), Services, ReplicaSets and StatefulSets (their selectors, for default spreading) and
 * StorageClasses (their binding mode). Each event updates the plugins' views; an object is written
 * to the store (keyed {@code KIND key}, the event as the topology's serde writes it) only when what
 * scheduling reads of it changed, so the frequent status updates of controllers cost no changelog
 * write. A change tells the caller to retry unschedulable pods.
 */
final class ClusterObjects {
  static final Set<Event.Kind> KINDS = Set.of(Event.Kind.NAMESPACE, Event.Kind.SERVICE, Event.Kind.REPLICA_SET,
      Event.Kind.STATEFUL_SET, Event.Kind.STORAGE_CLASS);

  private final KeyValueStore<String, Event> store;
  private final Volumes volumes;
  private final Namespaces namespaces;
  private final Workloads workloads;

  ClusterObjects(KeyValueStore<String, Event> store, Volumes volumes, Namespaces namespaces, Workloads workloads) {
    this.store = store;
    this.volumes = volumes;
    this.namespaces = namespaces;
    this.workloads = workloads;
  }

  /** The views from the store (after {@link Volumes#clear()}, which also forgets classes). */
  void rebuild() {
    namespaces.clear();
    workloads.clear();
    try (KeyValueIterator<String, Event> it = store.all()) {
      it.forEachRemaining(kv -> {
        if (kv.value != null && kv.value.object() != null) {
          view(kv.value);
        }
      });
    }
  }

  /** Applies a change; returns whether what scheduling decides on changed. */
  boolean apply(Event e) {
    String storeKey = e.kind().name() + " " + e.key();
    if (e.object() == null) {
      store.delete(storeKey);
      return forget(e.kind(), e.key());
    }
    boolean changed = view(e);
    if (changed) {
      store.put(storeKey, e);
    }
    return changed;
  }

  private boolean view(Event e) {
    return switch (e.kind()) {
      case NAMESPACE -> namespaces.put(Meta.name(e.object()), Meta.labels(e.object()));
      case SERVICE -> workloads.put(Workloads.Kind.SERVICE, e.object());
      case REPLICA_SET -> workloads.put(Workloads.Kind.REPLICA_SET, e.object());
      case STATEFUL_SET -> workloads.put(Workloads.Kind.STATEFUL_SET, e.object());
      case STORAGE_CLASS -> volumes.putClass(e.object());
      default -> throw new IllegalArgumentException("not a cluster object: " + e.kind());
    };
  }

  private boolean forget(Event.Kind kind, String key) {
    String[] parts = key.split("/");
    String name = parts[parts.length - 1];
    String ns = parts.length >= 2 ? parts[parts.length - 2] : null;
    return switch (kind) {
      case NAMESPACE -> namespaces.remove(name);
      case SERVICE -> workloads.remove(Workloads.Kind.SERVICE, ns, name);
      case REPLICA_SET -> workloads.remove(Workloads.Kind.REPLICA_SET, ns, name);
      case STATEFUL_SET -> workloads.remove(Workloads.Kind.STATEFUL_SET, ns, name);
      case STORAGE_CLASS -> volumes.removeClass(name);
      default -> throw new IllegalArgumentException("not a cluster object: " + kind);
    };
  }
}
