package io.kafkube.load;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * How the Kafka Streams threads of this JVM spent a benchmark phase: commits (each one a Kafka
 * transaction), records processed per commit, and the time a thread waited in its transactional
 * producer (flush, offsets, commit), read from the clients' own cumulative JMX counters. A closed loop's
 * write latency is mostly the store thread's commit cycle, so this is where it shows.
 */
public final class StreamLoops {
  private static final String[] THREAD_TOTALS = {"commit-total", "process-total", "poll-total"};
  private static final String[] PRODUCER_TOTALS = {"flush-time-ns-total", "txn-send-offsets-time-ns-total",
      "txn-commit-time-ns-total"};

  private final Map<String, double[]> start;
  private final long startNanos;

  private StreamLoops() {
    this.start = totals();
    this.startNanos = System.nanoTime();
  }

  /** Starts counting. */
  public static StreamLoops start() {
    return new StreamLoops();
  }

  /** Prints, per stream thread, what happened since {@link #start()}. */
  public void print(PrintStream out) {
    Map<String, double[]> now = totals();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    for (Map.Entry<String, double[]> e : now.entrySet()) {
      double[] a = start.getOrDefault(e.getKey(), new double[e.getValue().length]);
      double[] d = new double[a.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = e.getValue()[i] - a[i];
      }
      double commits = d[0];
      if (commits <= 0) {
        continue;
      }
      double flushMs = d[3] / 1e6;
      double offsetsMs = d[4] / 1e6;
      double commitMs = d[5] / 1e6;
      out.printf(Locale.ROOT, "stream thread %s: %.0f commits/s, %.1f records per commit, %.1f polls per commit; "
              + "per commit: flush %.2f ms, send offsets %.2f ms, commit %.2f ms (%.0f%% of the thread's time "
              + "in these three)%n",
          e.getKey(), commits / seconds, d[1] / commits, d[2] / commits, flushMs / commits, offsetsMs / commits,
          commitMs / commits, 100 * (flushMs + offsetsMs + commitMs) / (seconds * 1000));
    }
  }

  /** thread name → [commit, process, poll totals, then the thread producer's flush, offsets, commit ns]. */
  private static Map<String, double[]> totals() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Map<String, double[]> totals = new TreeMap<>();
    try {
      for (ObjectName n : server.queryNames(new ObjectName("kafka.streams:type=stream-thread-metrics,*"), null)) {
        String thread = n.getKeyProperty("thread-id");
        if (n.getKeyProperty("process-id") != null) {
          continue; // the thread-state gauge's own bean
        }
        double[] v = new double[THREAD_TOTALS.length + PRODUCER_TOTALS.length];
        for (int i = 0; i < THREAD_TOTALS.length; i++) {
          v[i] = Jmx.number(server, n, THREAD_TOTALS[i]);
        }
        ObjectName producer = new ObjectName("kafka.producer:type=producer-metrics,client-id=" + thread + "-producer");
        if (server.isRegistered(producer)) {
          for (int i = 0; i < PRODUCER_TOTALS.length; i++) {
            v[THREAD_TOTALS.length + i] = Jmx.number(server, producer, PRODUCER_TOTALS[i]);
          }
        }
        totals.put(Jmx.withoutUuid(thread), v);
      }
    } catch (JMException e) {
      throw new IllegalStateException("cannot read the Kafka Streams metrics", e);
    }
    return totals;
  }
}
