package io.kafkube.load;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The requests the embedded broker of this JVM handled during a benchmark phase, by API key, from its
 * own {@code kafka.network:type=RequestMetrics,name=RequestsPerSec} counters: how many produce, fetch
 * and transaction requests one operation costs.
 */
public final class BrokerRequests {
  /** The broker counts consumers' and followers' fetches again under these names: not in the total. */
  private static final Set<String> SUBSETS = Set.of("FetchConsumer", "FetchFollower");

  private final Map<String, Long> start;

  private BrokerRequests() {
    this.start = counts();
  }

  /** Starts counting. */
  public static BrokerRequests start() {
    return new BrokerRequests();
  }

  /** Prints the request kinds seen since {@link #start()}, per operation. */
  public void print(PrintStream out, long operations) {
    Map<String, Long> now = counts();
    StringBuilder line = new StringBuilder("broker requests per op:");
    long total = 0;
    for (Map.Entry<String, Long> e : now.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList()) {
      long n = e.getValue() - start.getOrDefault(e.getKey(), 0L);
      if (!SUBSETS.contains(e.getKey())) {
        total += n;
      }
      if (n > 0 && operations > 0 && n * 100 >= operations) {
        line.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(), (double) n / operations));
      }
    }
    out.println(line.append(String.format(Locale.ROOT, " (all %.2f)", operations > 0 ? (double) total / operations
        : 0)));
  }

  private static Map<String, Long> counts() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Map<String, Long> counts = new HashMap<>();
    try {
      for (ObjectName n : server.queryNames(
          new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
        Object count = server.getAttribute(n, "Count");
        if (count instanceof Number c) {
          counts.merge(n.getKeyProperty("request"), c.longValue(), Long::sum);
        }
      }
    } catch (JMException e) {
      throw new IllegalStateException("cannot read the broker's request metrics", e);
    }
    return counts;
  }
}
