package io.kafkube.load;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The garbage collections of this JVM during a benchmark phase, from the collectors' own notifications:
 * how many, how long in total and at the longest, per kind. With everything in one JVM, a stop-the-world
 * collection stalls every client at once, so a phase's latency tail and part of its throughput are here.
 * (Under ParallelGC a collection's duration is its pause.)
 */
public final class GcPauses implements AutoCloseable {
  private record Pause(String action, long millis) {}

  private final List<Pause> pauses = new ArrayList<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onNotification;
  private final long startNanos = System.nanoTime();

  private GcPauses() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(listener, null, null);
        emitters.add(e);
      }
    }
  }

  /** Starts recording. */
  public static GcPauses start() {
    return new GcPauses();
  }

  private void onNotification(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    synchronized (pauses) {
      pauses.add(new Pause(info.getGcAction(), info.getGcInfo().getDuration()));
    }
  }

  /** How many collections were recorded. */
  int collections() {
    synchronized (pauses) {
      return pauses.size();
    }
  }

  /** Prints what was recorded since {@link #start()}. */
  public void print(PrintStream out) {
    double wallMs = (System.nanoTime() - startNanos) / 1e6;
    Map<String, long[]> byAction = new TreeMap<>();
    long total = 0;
    synchronized (pauses) {
      for (Pause p : pauses) {
        long[] a = byAction.computeIfAbsent(p.action(), k -> new long[3]);
        a[0]++;
        a[1] += p.millis();
        a[2] = Math.max(a[2], p.millis());
        total += p.millis();
      }
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "garbage collections: %d ms in all, %.1f%% of the phase", total, 100 * total / Math.max(1, wallMs)));
    for (Map.Entry<String, long[]> e : byAction.entrySet()) {
      line.append(String.format(Locale.ROOT, "; %s: %d, %d ms in all, longest %d ms", e.getKey().replace("end of ", ""),
          e.getValue()[0], e.getValue()[1], e.getValue()[2]));
    }
    out.println(line);
  }

  /** Stops recording. */
  @Override
  public void close() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // removed already
      }
    }
    emitters.clear();
  }
}
