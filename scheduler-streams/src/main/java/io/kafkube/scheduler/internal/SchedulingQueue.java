package io.kafkube.scheduler.internal;

import io.kafkube.scheduler.framework.PodInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Pods waiting for a node. Active pods are ordered by priority (highest first), then deadline
 * (earliest first), then creation time, then key. A pod that did not fit waits out a backoff
 * (initial, doubling per attempt, capped) before it is active again, or until something that may
 * make it fit happens ({@link #activateAll}).
 */
final class SchedulingQueue {
  static final Comparator<PodInfo> ORDER = Comparator.comparingInt(PodInfo::priority).reversed()
      .thenComparingLong(PodInfo::deadline)
      .thenComparingLong(PodInfo::creationTimestamp)
      .thenComparing(PodInfo::key);

  private static final class Entry {
    PodInfo pod;
    int attempts;
    long notBefore;
    boolean active;

    Entry(PodInfo pod) {
      this.pod = pod;
    }
  }

  private final long initialBackoffMs;
  private final long maxBackoffMs;
  private final Map<String, Entry> entries = new HashMap<>();
  private final TreeSet<PodInfo> active = new TreeSet<>(ORDER);

  SchedulingQueue(long initialBackoffMs, long maxBackoffMs) {
    this.initialBackoffMs = initialBackoffMs;
    this.maxBackoffMs = maxBackoffMs;
  }

  /** Adds a pod, or updates a waiting one in place (a pod backing off stays backing off). */
  void addOrUpdate(PodInfo pod) {
    Entry e = entries.get(pod.key());
    if (e == null) {
      e = new Entry(pod);
      e.active = true;
      entries.put(pod.key(), e);
      active.add(pod);
      return;
    }
    if (e.active) {
      active.remove(e.pod);
      active.add(pod);
    }
    e.pod = pod;
  }

  void remove(String key) {
    Entry e = entries.remove(key);
    if (e != null && e.active) {
      active.remove(e.pod);
    }
  }

  /** The first active pod, taken out of the active set (it stays known until removed or backed off). */
  PodInfo poll() {
    PodInfo p = active.pollFirst();
    if (p != null) {
      entries.get(p.key()).active = false;
    }
    return p;
  }

  /** A pod that did not fit waits: 1 s, 2 s, 4 s … up to the maximum. */
  void backoff(String key, long now) {
    Entry e = entries.get(key);
    if (e == null) {
      return;
    }
    if (e.active) {
      active.remove(e.pod);
      e.active = false;
    }
    long delay = initialBackoffMs << Math.min(e.attempts, 20);
    e.attempts++;
    e.notBefore = now + Math.min(delay, maxBackoffMs);
  }

  /** Pods whose backoff is over become active. */
  void flushBackoff(long now) {
    for (Entry e : entries.values()) {
      if (!e.active && e.notBefore <= now) {
        e.active = true;
        active.add(e.pod);
      }
    }
  }

  /** Every waiting pod becomes active now (a node was added or changed, a pod left). */
  void activateAll() {
    for (Entry e : entries.values()) {
      if (!e.active) {
        e.active = true;
        active.add(e.pod);
      }
    }
  }

  boolean contains(String key) {
    return entries.containsKey(key);
  }

  int size() {
    return entries.size();
  }

  int activeSize() {
    return active.size();
  }

  /** The keys of the active pods in the order they will be tried (for tests and logs). */
  List<String> activeKeys() {
    List<String> out = new ArrayList<>();
    active.forEach(p -> out.add(p.key()));
    return out;
  }
}
