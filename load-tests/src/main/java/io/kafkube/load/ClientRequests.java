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
 * Which Kafka clients of this JVM sent the broker its requests during a benchmark phase: per producer,
 * produce requests and records per request; per consumer, fetches and records per fetch; read from the
 * clients' cumulative JMX counters. The broker's cost follows its request count more than its record
 * count, so this shows whose batching a change of settings would have to improve.
 */
public final class ClientRequests {
  private final Map<String, double[]> start;

  private ClientRequests() {
    this.start = totals();
  }

  /** Starts counting. */
  public static ClientRequests start() {
    return new ClientRequests();
  }

  /** Prints each client that sent at least one request per hundred operations since {@link #start()}. */
  public void print(PrintStream out, long operations) {
    if (operations <= 0) {
      return;
    }
    Map<String, double[]> now = totals();
    StringBuilder line = new StringBuilder("client requests per op:");
    for (Map.Entry<String, double[]> e : now.entrySet()) {
      double[] a = start.getOrDefault(e.getKey(), new double[2]);
      double requests = e.getValue()[0] - a[0];
      double records = e.getValue()[1] - a[1];
      if (requests * 100 < operations) {
        continue;
      }
      line.append(String.format(Locale.ROOT, "%n  %-62s %5.2f requests, %6.1f records each", e.getKey(),
          requests / operations, records / requests));
    }
    out.println(line);
  }

  /** "produce|fetch client-id" → [requests, records]. */
  private static Map<String, double[]> totals() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Map<String, double[]> totals = new TreeMap<>();
    try {
      for (ObjectName n : server.queryNames(new ObjectName("kafka.producer:type=producer-metrics,*"), null)) {
        totals.put("produce " + Jmx.withoutUuid(n.getKeyProperty("client-id")),
            new double[] {Jmx.number(server, n, "request-total"), Jmx.number(server, n, "record-send-total")});
      }
      for (ObjectName n : server.queryNames(
          new ObjectName("kafka.consumer:type=consumer-fetch-manager-metrics,*"), null)) {
        if (n.getKeyProperty("topic") != null || n.getKeyProperty("partition") != null) {
          continue;
        }
        totals.merge("fetch " + Jmx.withoutUuid(n.getKeyProperty("client-id")),
            new double[] {Jmx.number(server, n, "fetch-total"), Jmx.number(server, n, "records-consumed-total")},
            (x, y) -> new double[] {x[0] + y[0], x[1] + y[1]});
      }
    } catch (JMException e) {
      throw new IllegalStateException("cannot read the Kafka clients' metrics", e);
    }
    return totals;
  }
}
